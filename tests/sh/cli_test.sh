#!/usr/bin/env bash
# cli_test.sh - the command line's contract: exit codes (0 pass, 1 mismatch, 2 bad input)
# and one-line errors naming file, core, instruction index and field.
# Usage: tests/sh/cli_test.sh build/pimcosim
set -u
bin=${1:?usage: cli_test.sh PIMCOSIM}
d=tests/data/cli
ref=../shared/reference
pass=0 fail=0
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

# expect NAME CODE REGEX -- ARGS...: runs ARGS, checks the exit code and that stdout+stderr
# match REGEX (grep -E); for code 2 also that stderr's error is a single line.
expect() {
    local name=$1 code=$2 re=$3; shift 4
    "$bin" "$@" >"$out" 2>"$err"
    local rc=$?
    local why=""
    [ "$rc" -eq "$code" ] || why="exit $rc, wanted $code"
    [ -z "$why" ] && ! cat "$out" "$err" | grep -Eq -- "$re" && why="output lacks /$re/"
    if [ -z "$why" ] && [ "$code" -eq 2 ] && [ -s "$err" ] && [ "$(wc -l <"$err")" -ne 1 ]; then
        why="error is not one line"
    fi
    if [ -z "$why" ]; then
        pass=$((pass + 1)); echo "ok   $name"
    else
        fail=$((fail + 1)); echo "FAIL $name: $why"; sed 's/^/     | /' "$out" "$err" | head -n 8
    fi
}

expect help-top        0 'commands:'                         -- --help
expect help-run        0 'usage: pimcosim run'               -- run --help
expect help-exec       0 'usage: pimcosim exec'              -- exec --help
expect no-command      2 'usage: pimcosim'                   --
expect unknown-command 2 "unknown command 'frob'"            -- frob
expect pass            0 '^PASS cli.pass'                    -- run --golden-only $d/pass.json
expect filter-none     2 "--filter 'zz\\*' matches none of the 1 vectors given" \
                                                               -- run --golden-only --filter 'zz*' $d/pass.json
expect fault-unknown   2 "--fault: 'PIM_FAULT_NONE' is not a fault the RTL knows \\(.*PIM_FAULT_VVSRA_ROUND" \
                                                               -- run --fault PIM_FAULT_NONE $d/pass.json
expect fault-unknown-stream 2 "--fault: 'ADC_CLIP_HIGH' is not a fault" \
                                                               -- run --stream $d/pass.json --config x --fault ADC_CLIP_HIGH
expect mismatch        1 "FAIL cli.mismatch .*core 0, field 'r3': expected 0x00000008, got 0x00000007" \
                                                             -- run --golden-only $d/mismatch.json
expect malformed       2 "malformed.json: JSON syntax error at line 2" \
                                                             -- run --golden-only $d/malformed.json
expect unknown-op      2 "unknown-op.json: core 0, instruction 1, field 'op': unknown op 'vfoo'" \
                                                             -- run --golden-only $d/unknown-op.json
expect field-range     2 "bad-field.json: core 0, instruction 1 \(vvadd\), field 'len': 4096 is outside 0..2047" \
                                                             -- run --golden-only $d/bad-field.json
expect exec-error      2 "exec-error.json: core 0, instruction 1 \(lldi\), field 'rd': local memory address 0xfa \+ 8 bytes is outside" \
                                                             -- run --golden-only $d/exec-error.json
expect missing-file    2 'nope.json: no such file'           -- run --golden-only $d/nope.json
expect lockstep-pass   0 '^lockstep: 1 passed, 0 failed'     -- run --no-build $d/pass.json
expect lockstep-fault  1 "divergence at core 0, instruction 3 \(mvmul\) in pim_xbar_tile, cycle [0-9]+: LMem of core 0, element 0 at 0x400: expected -3, got 0" \
                                                             -- run --no-build --fault PIM_FAULT_ADC_CLIP_HIGH vectors/matrix/matrix.mvmul.hand-2x2-clip.json
expect lockstep-vvsra  1 "in pim_vector_unit, cycle [0-9]+: LMem of core 0, element 0 at 0x0: expected -3, got -2" \
                                                             -- run --no-build --fault PIM_FAULT_VVSRA_ROUND vectors/vector/vector.vvsra.floor.json
expect golden-fault    0 '^golden: 1 passed'                 -- run --golden-only --fault PIM_FAULT_ADC_CLIP_HIGH vectors/matrix/matrix.mvmul.hand-2x2-clip.json
expect exec-latency    0 'executed 9 instructions \(mvmul 1'  -- exec $d/stream.json --config $ref/pimsim-nn-latency_config.json
expect exec-pimcomp    0 'gmem hash [0-9a-f]{16}'            -- exec $d/stream.json --config $ref/pimcomp-nn-config.json --seed 3
expect exec-float      2 "stream-bad.json: core 0, instruction 0 \(sldi\), field 'imm': must be an integer" \
                                                             -- exec $d/stream-bad.json --config $ref/pimcomp-nn-config.json
expect exec-no-config  2 'needs STREAM and --config'         -- exec $d/stream.json
expect exec-bad-seed   2 'seed takes'                        -- exec $d/stream.json --config $ref/pimcomp-nn-config.json --seed x
expect exec-strict-alexnet 2 "alexnet-element.json.gz: core 0, instruction 3 \(ld\), field 'rs1': must be even" \
                                                             -- exec ../shared/real/alexnet-element.json.gz --config $ref/pimcomp-nn-config.json

# the same seed gives the same final state; another seed another
h1=$("$bin" exec $d/stream.json --config $ref/pimcomp-nn-config.json --seed 5 | grep 'lmem' | head -n 1)
h2=$("$bin" exec $d/stream.json --config $ref/pimcomp-nn-config.json --seed 5 | grep 'lmem' | head -n 1)
h3=$("$bin" exec $d/stream.json --config $ref/pimcomp-nn-config.json --seed 6 | grep 'lmem' | head -n 1)
if [ -n "$h1" ] && [ "$h1" = "$h2" ] && [ "$h1" != "$h3" ]; then
    pass=$((pass + 1)); echo "ok   seed-determinism"
else
    fail=$((fail + 1)); echo "FAIL seed-determinism: '$h1' '$h2' '$h3'"
fi

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
