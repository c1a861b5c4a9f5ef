# pimcosim - one entry point. Everything generated goes under build/. `make help` lists
# every target.
#
# Settings (override on the command line: make test V=1 NATIVE=0):
# 1: echo every command
V ?= 0
# 1: build for this host's instruction set (-march=native); 0: portable
NATIVE ?= 1
# optimisation level of the normal build (-O3 vectorizes the mvmul dot products)
OPT ?= -O3
# 1: make bench-real also runs every network whole in lockstep
LOCKSTEP ?= 0
# seed for data filled from a seed (exec, bench)
SEED ?= 1
# runs the independent reference model in tests/pyref
PYTHON ?= python3
# Debian's Python, where `make deps` installs python3-jsonschema (the schema check)
SCHEMA_PYTHON ?= /usr/bin/python3
# what `make run` runs
VECTORS ?= vectors
# the driver's stress in make test, run and soak (pimcosim run --stress: 0 off, 1 moderate)
STRESS ?= 1
# the real compiled networks (PIMCOMP-NN: AlexNet, CaffeNet, GoogLeNet, Inception-v3, ResNet,
# ShuffleNet) and the config they were compiled for
REAL ?= ../shared/real
REAL_CONFIG ?= ../shared/reference/pimcomp-nn-config.json
# 1: `make real` also runs whole AlexNet streams in lockstep (about 50 s each), those of
# WHOLE_MODES (element, batch, narrow: element with narrow seeded data)
WHOLE_LOCKSTEP ?= 1
WHOLE_MODES ?= element narrow
# parallel jobs for building RTL models
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

CC ?= cc
BUILD := build

ifeq ($(V),1)
Q :=
else
Q := @
endif

PKGS := libcjson check zlib
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs libcjson zlib 2>/dev/null) -pthread
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)

WARN := -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror
ARCH := $(if $(filter 1,$(NATIVE)),-march=native,)
CPPFLAGS := -D_POSIX_C_SOURCE=200809L $(PKG_CFLAGS)
CFLAGS := $(WARN) $(OPT) $(ARCH) -g -MMD -MP
SANFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# ---------------------------------------------------------------- the parts
# Each part may include only the headers of the parts below it (docs/architecture.md):
#   golden/         include/ (the golden model's public API) and the C library
#   harness/util/   + itself
#   harness/load/   + util (no RTL)
#   harness/cosim/  + util, cosim/shim/ (the only part that knows both sides)
#   harness/tools/  + load, cosim
#   harness/cli/    + tools
# The include path of each part is all it can see, so a wrong #include fails to compile.
INC_golden := -Iinclude
INC_util := $(INC_golden) -Iharness/util
INC_load := $(INC_util) -Iharness/load
INC_cosim := $(INC_util) -Iharness/cosim -Iharness/cosim/shim
INC_tools := $(INC_load) -Iharness/cosim -Iharness/cosim/shim -Iharness/tools
INC_cli := $(INC_tools) -Iharness/cli
INC_tests := $(INC_cli) -Itests

GOLDEN_SRC := $(wildcard golden/*.c)
UTIL_SRC := $(wildcard harness/util/*.c)
LOAD_SRC := $(wildcard harness/load/*.c)
COSIM_SRC := $(wildcard harness/cosim/*.c)
TOOLS_SRC := $(wildcard harness/tools/*.c)
CLI_SRC := $(wildcard harness/cli/*.c)
CLI_MAIN := harness/cli/main.c
LIB_SRC := $(TOOLS_SRC) $(COSIM_SRC) $(LOAD_SRC) $(UTIL_SRC) $(GOLDEN_SRC)

# Unit tests: tests/test_<module>.c. The RTL ones need the Verilated models; the others
# start at once.
TEST_SRC := $(wildcard tests/test_*.c)
TESTS := $(patsubst tests/%.c,%,$(TEST_SRC))
RTL_TESTS := test_rtl test_lockstep
CORE_TESTS := $(filter-out $(RTL_TESTS),$(TESTS))
TEST_UTIL := tests/testutil.c

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
san = $(patsubst %.c,$(BUILD)/san/%.o,$(1))

# the include path of an object, from the part its source is in
inc_of = $(if $(filter golden/%,$(1)),$(INC_golden),$(if $(filter harness/util/%,$(1)),$(INC_util),$(if $(filter harness/load/%,$(1)),$(INC_load),$(if $(filter harness/cosim/%,$(1)),$(INC_cosim),$(if $(filter harness/tools/%,$(1)),$(INC_tools),$(if $(filter harness/cli/%,$(1)),$(INC_cli),$(INC_tests)))))))

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(call inc_of,$<) $(CFLAGS) -c $< -o $@

$(BUILD)/san/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(call inc_of,$<) $(WARN) $(SANFLAGS) -MMD -MP -c $< -o $@

# Objects are kept (they are not intermediate files to delete after a link).
.SECONDARY:

$(BUILD)/libpimgolden.a: $(call obj,$(GOLDEN_SRC))
	$(Q)ar rcs $@ $^
$(BUILD)/libpimutil.a: $(call obj,$(UTIL_SRC))
	$(Q)ar rcs $@ $^
$(BUILD)/libpimload.a: $(call obj,$(LOAD_SRC))
	$(Q)ar rcs $@ $^
$(BUILD)/libpimcosim.a: $(call obj,$(COSIM_SRC))
	$(Q)ar rcs $@ $^
$(BUILD)/libpimtools.a: $(call obj,$(TOOLS_SRC))
	$(Q)ar rcs $@ $^
$(BUILD)/libpimcli.a: $(call obj,$(filter-out $(CLI_MAIN),$(CLI_SRC)))
	$(Q)ar rcs $@ $^
$(BUILD)/san/libpim.a: $(call san,$(filter-out $(CLI_MAIN),$(CLI_SRC)) $(LIB_SRC))
	$(Q)ar rcs $@ $^

# in link order: each library before the ones it uses
LIBS := $(addprefix $(BUILD)/libpim,cli.a tools.a cosim.a load.a util.a golden.a)

$(BUILD)/pimcosim: $(call obj,$(CLI_MAIN)) $(LIBS)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) -ldl -lm

$(BUILD)/bench_golden: $(call obj,tests/bench/bench_golden.c) $(LIBS)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) -ldl -lm

$(BUILD)/bench_rtl: $(call obj,tests/bench/bench_rtl.c) $(LIBS)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) -ldl -lm

$(BUILD)/test_%: $(call obj,tests/test_%.c $(TEST_UTIL)) $(LIBS)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(CHECK_LIBS) $(PKG_LIBS) -ldl -lm

$(BUILD)/san/test_%: $(call san,tests/test_%.c $(TEST_UTIL)) $(BUILD)/san/libpim.a
	$(Q)$(CC) $(SANFLAGS) -o $@ $^ $(CHECK_LIBS) $(PKG_LIBS) -ldl -lm

# ---------------------------------------------------------------- RTL models
# One shared object per unit and size (harness/cosim/shim/build_model.sh), named by its
# parameters and the content hash of everything it is built from (pimcosim models): an edit
# to an RTL source gives the models that depend on it new names, so they are rebuilt, and a
# restored build/rtl cache is used as it is. `pimcosim run` builds a missing one itself;
# `make rtl-models` builds all the vectors need, in parallel.
MODELS := $(BUILD)/pimcosim models --build --jobs $(JOBS)
rtl-models: $(BUILD)/pimcosim
	$(Q)$(MODELS) $(VECTORS)

# Models the tests need beyond the vectors': another lane count and F, and one model per
# injected fault (each breaks one promise of a unit; the harness must catch every one).
TEST_FAULTS := PIM_FAULT_ADC_CLIP_HIGH PIM_FAULT_TILE_CLIPS_EQ PIM_FAULT_TILE_OUT_DROP \
  PIM_FAULT_TILE_IN_DURING_PROG PIM_FAULT_TILE_XMASK PIM_FAULT_TILE_LIVE_IN PIM_FAULT_TILE_OUT_SEXT \
  PIM_FAULT_TILE_ROW_MASK \
  PIM_FAULT_VVSRA_ROUND PIM_FAULT_VVADD_WRAP PIM_FAULT_VU_LANE_VALID PIM_FAULT_VU_READY \
  PIM_FAULT_VU_ACC_KEEP PIM_FAULT_VU_COUNT PIM_FAULT_VU_SEXT PIM_FAULT_VU_GAP
test-models: $(BUILD)/pimcosim rtl-models
	$(Q)$(MODELS) --config tests/data/config_l7_f8.json --config tests/data/config_p12_d9.json
	$(Q)$(MODELS) --config tests/data/config_odd.json --tile-cols 7
	$(Q)$(MODELS) $(addprefix --fault ,$(TEST_FAULTS)) --config vectors/configs/small.json

# ---------------------------------------------------------------- targets
# `make help` prints the lines starting with "##": one per target.
## all             build pimcosim and every unit test
all: $(BUILD)/pimcosim $(addprefix $(BUILD)/,$(TESTS))

## help            this list
help:
	@echo "usage: make TARGET [SETTING=VALUE...]   (settings: see the top of the Makefile)"
	@sed -n 's/^## /  /p' Makefile

DEBS := verilator libcjson-dev check zlib1g-dev pkg-config iverilog yosys gtkwave xvfb xauth \
  python3 python3-jsonschema gcc g++ make clang libclang-rt-14-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
## deps            install the Debian packages (apt-get; sudo when not root)
deps:
	$(SUDO) apt-get update -q
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $(DEBS)

## test            every test: lint, the ISA table's copies, unit (+ sanitizers), pyref,
##                 vectors (golden, lockstep, random; stressed), CLI, gate, runner, debug,
##                 real, coverage, hostile input, fuzz corpora once, mutation sample, synth
##                 The parts run JOBS at a time, the longest first (they share only the
##                 models, built first as their common prerequisites), each part's output
##                 printed whole when it ends (make -O); make test-parts runs them in turn.
TEST_PARTS := synth-check lint check-pkg unit real mutate-sample unit-san pyref vectors-golden \
  vectors-lockstep random-lockstep cli gate runner debug gtkwave-check coverage hostile fuzz-regress
test:
	$(Q)$(MAKE) --no-print-directory -j$(JOBS) -O test-parts
test-parts: $(TEST_PARTS)

## unit            the Check unit tests (those needing no RTL model first, at once)
unit: unit-core unit-rtl
## unit-core       the unit tests that need no RTL model
unit-core: $(addprefix $(BUILD)/,$(CORE_TESTS))
	$(Q)set -e; for t in $(CORE_TESTS); do echo "== $$t"; $(BUILD)/$$t; done
## unit-rtl        the unit tests of the RTL units and the lockstep (build the models)
unit-rtl: $(addprefix $(BUILD)/,$(RTL_TESTS)) rtl-models test-models
	$(Q)set -e; for t in $(RTL_TESTS); do echo "== $$t"; $(BUILD)/$$t; done

SAN_ENV := ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
## unit-san        the same unit tests under AddressSanitizer and UndefinedBehaviorSanitizer
unit-san: unit-san-core unit-san-rtl
## unit-san-core   ... those needing no RTL model
unit-san-core: $(addprefix $(BUILD)/san/,$(CORE_TESTS))
	$(Q)set -e; for t in $(CORE_TESTS); do echo "== $$t (asan+ubsan)"; $(SAN_ENV) $(BUILD)/san/$$t; done
## unit-san-rtl    ... those of the RTL units
unit-san-rtl: $(addprefix $(BUILD)/san/,$(RTL_TESTS)) rtl-models test-models
	$(Q)set -e; for t in $(RTL_TESTS); do echo "== $$t (asan+ubsan)"; $(SAN_ENV) $(BUILD)/san/$$t; done

## check-pkg       rtl/pim_pkg.sv is what `pimcosim isa --sv` makes of the ISA table, the
##                 Python model's ISA table is the C one, the vectors match their schema
check-pkg: $(BUILD)/pimcosim
	$(Q)$(BUILD)/pimcosim isa --sv | diff -u rtl/pim_pkg.sv - \
	  || { echo "rtl/pim_pkg.sv differs from the ISA table: run make pkg"; exit 1; }
	$(Q)echo "ok   rtl/pim_pkg.sv is generated from PIM_OP_TABLE"
	$(Q)$(BUILD)/pimcosim isa --json > $(BUILD)/isa.json
	$(Q)$(PYTHON) tests/pyref/check_isa.py $(BUILD)/isa.json
	$(Q)$(SCHEMA_PYTHON) tests/pyref/check_schema.py $(VECTORS)
## pkg             regenerate rtl/pim_pkg.sv from the ISA table (include/pim_isa.h)
pkg: $(BUILD)/pimcosim
	$(Q)$(BUILD)/pimcosim isa --sv > rtl/pim_pkg.sv

## vectors-golden  every shipped vector on the golden model
vectors-golden: $(BUILD)/pimcosim
	$(Q)$(BUILD)/pimcosim run --golden-only --quiet $(VECTORS)

## pyref           the independent Python model re-derives every vector's expectations
##                 and the values of the real-network slices marked quick (AlexNet,
##                 ShuffleNet) that `make real` holds the C side to
pyref:
	$(Q)$(PYTHON) tests/pyref/check_vectors.py $(VECTORS)
	$(Q)$(PYTHON) tests/pyref/real_slice.py --self-test
	$(Q)$(PYTHON) tests/pyref/real_slice.py --slices tests/data/real/slices.json --quick

## pyref-real      the Python model re-derives the values of every real-network slice
##                 (about 3 minutes: it parses each network whole)
pyref-real:
	$(Q)$(PYTHON) tests/pyref/real_slice.py --slices tests/data/real/slices.json

## cli             the command line's contract: exit codes and one-line errors
cli: $(BUILD)/pimcosim rtl-models test-models
	$(Q)bash tests/sh/cli_test.sh $(BUILD)/pimcosim

## lint            RTL: Verilator -Wall over several parameter sets, Icarus, yosys read
lint:
	$(Q)bash tests/sh/rtl_lint.sh lint
## synth           RTL: yosys synthesis of small parameter sets, with cell counts
synth:
	$(Q)bash tests/sh/rtl_lint.sh synth
## synth-check     RTL: yosys synthesis up to coarse cells (what make test runs)
synth-check:
	$(Q)bash tests/sh/rtl_lint.sh coarse

# libFuzzer harnesses (tests/fuzz/): the loaders, the golden model and the encoding, built
# with clang and ASan/UBSan straight from the sources; the seeds and the dictionary come from
# the tree (tests/fuzz/seeds.py), tests/fuzz/regress/<harness>/ holds the inputs that once
# crashed.
FUZZ_CC ?= clang
FUZZERS := stream vector config insn repro info
FUZZ_S ?= 60
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_CFLAGS := -std=c11 -g -O1 -fno-sanitize-recover=all -Wall -Wextra -Werror \
  -D_POSIX_C_SOURCE=200809L -Iinclude -Iharness/load -Iharness/util -MMD -MP \
  $(shell pkg-config --cflags libcjson zlib 2>/dev/null)
FUZZ_SAN := address,undefined
FUZZ_OBJ := $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(GOLDEN_SRC) $(LOAD_SRC) $(UTIL_SRC))
FUZZ_ENV := TMPDIR=$(abspath $(FUZZ_DIR)/tmp) ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) -c -o $@ $<
$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_file.h $(FUZZ_OBJ)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer,$(FUZZ_SAN) \
	  -DFUZZ_CONFIGS='"$(abspath vectors/configs)"' -o $@ $< $(FUZZ_OBJ) \
	  $(shell pkg-config --libs libcjson zlib 2>/dev/null) -pthread -lm
$(FUZZ_DIR)/pim.dict: tests/fuzz/seeds.py $(BUILD)/pimcosim $(wildcard tests/data/*.json tests/data/*/*.json)
	@mkdir -p $(@D)
	$(Q)rm -rf $(FUZZ_DIR)/seed-*
	$(Q)$(BUILD)/pimcosim isa --json > $(FUZZ_DIR)/isa.json
	$(Q)$(PYTHON) tests/fuzz/seeds.py $(FUZZ_DIR)/isa.json $(FUZZ_DIR)
## gtkwave-check   a failure's save file opened in GTKWave under Xvfb (Tcl): markers in view,
##                 the failing element's signal first with the reported value; screenshots
##                 in build/gtkwave/
gtkwave-check: $(BUILD)/pimcosim rtl-models test-models
	$(Q)PYTHON=$(PYTHON) bash tests/sh/gtkwave_test.sh $(BUILD)/pimcosim

## hostile         every class of bad input (docs/bad-inputs.md) refused in one line, exit 2
hostile: $(BUILD)/pimcosim
	$(Q)$(PYTHON) tests/sh/hostile_test.py $(BUILD)/pimcosim

## fuzz-build      the libFuzzer harnesses (clang, ASan, UBSan), seeds and dictionary
fuzz-build: $(addprefix $(FUZZ_DIR)/fuzz_,$(FUZZERS)) $(FUZZ_DIR)/pim.dict
## fuzz            each harness FUZZ_S seconds (default 60) from its seeds, regressions and
##                 what earlier runs found (build/fuzz/corpus-<harness>); crashes in build/fuzz;
##                 `make -j2 fuzz` runs two harnesses at a time
fuzz: $(addprefix fuzz-run-,$(FUZZERS))
fuzz-run-%: fuzz-build
	$(Q)mkdir -p $(FUZZ_DIR)/corpus-$* $(FUZZ_DIR)/tmp tests/fuzz/regress/$*
	$(Q)echo "== fuzz_$* for $(FUZZ_S) s"; rc=0; \
	$(FUZZ_ENV) $(FUZZ_DIR)/fuzz_$* -max_total_time=$(FUZZ_S) -dict=$(FUZZ_DIR)/pim.dict \
	  -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	  -artifact_prefix=$(FUZZ_DIR)/crash-$*- $(FUZZ_DIR)/corpus-$* $(FUZZ_DIR)/seed-$* \
	  tests/fuzz/regress/$* > $(FUZZ_DIR)/fuzz_$*.log 2>&1 || rc=$$?; \
	grep -E 'DONE|stat::number_of_executed|stat::peak_rss|SUMMARY|ERROR' $(FUZZ_DIR)/fuzz_$*.log \
	  | sed 's/^/fuzz_$*: /'; \
	[ $$rc = 0 ] || { tail -40 $(FUZZ_DIR)/fuzz_$*.log; exit 1; }
## fuzz-regress    every seed and regression input once through each harness (make test)
fuzz-regress: fuzz-build
	$(Q)set -e; for h in $(FUZZERS); do mkdir -p $(FUZZ_DIR)/tmp tests/fuzz/regress/$$h; \
	  $(FUZZ_ENV) $(FUZZ_DIR)/fuzz_$$h -runs=0 -timeout=10 -rss_limit_mb=2048 \
	    $(FUZZ_DIR)/seed-$$h tests/fuzz/regress/$$h > $(FUZZ_DIR)/regress_$$h.log 2>&1 \
	    || { tail -30 $(FUZZ_DIR)/regress_$$h.log; exit 1; }; \
	  echo "ok   fuzz_$$h: $$(ls $(FUZZ_DIR)/seed-$$h tests/fuzz/regress/$$h | grep -vc ':$$\|^$$') inputs once"; \
	done

## vectors-lockstep every shipped vector in lockstep: golden model against the RTL
vectors-lockstep: $(BUILD)/pimcosim rtl-models
	$(Q)$(BUILD)/pimcosim run --jobs $(JOBS) --quiet --stress $(STRESS) $(VECTORS)

# Constrained-random vectors in lockstep: a fixed set of seeds in `make test`, many in soak.
GEN_SEEDS ?= 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20
SEEDS ?= 200
## gen-vectors     write the fixed seeds' random vectors into build/gen
gen-vectors: $(BUILD)/pimcosim
	@rm -rf $(BUILD)/gen && mkdir -p $(BUILD)/gen
	$(Q)for s in $(GEN_SEEDS); do $(BUILD)/pimcosim gen --seed $$s --cores $$(( s % 4 + 1 )) \
	  -o $(BUILD)/gen/seed-$$s.json || exit 2; done
	$(Q)for s in 101 102 103 104; do $(BUILD)/pimcosim gen --seed $$s --cores 4 --insns 500 \
	  -o $(BUILD)/gen/big-$$s.json || exit 2; done
## random-lockstep those random vectors in lockstep
random-lockstep: gen-vectors rtl-models
	$(Q)$(BUILD)/pimcosim run --jobs $(JOBS) --quiet --stress $(STRESS) $(BUILD)/gen
## soak            SEEDS=N more random vectors in lockstep (not in make test)
soak: $(BUILD)/pimcosim rtl-models
	@rm -rf $(BUILD)/soak && mkdir -p $(BUILD)/soak
	$(Q)for s in $$(seq 1000 $$(( 999 + $(SEEDS) ))); do $(BUILD)/pimcosim gen --seed $$s \
	  --cores $$(( s % 6 + 1 )) --insns $$(( 100 + s % 400 )) -o $(BUILD)/soak/seed-$$s.json || exit 2; done
	$(Q)$(BUILD)/pimcosim run --jobs $(JOBS) --quiet --stress $(STRESS) --junit $(BUILD)/soak/junit.xml $(BUILD)/soak

## coverage        functional coverage of the suite (per op and corner class, gaps)
coverage: $(BUILD)/pimcosim
	@mkdir -p $(BUILD)/coverage
	$(Q)$(BUILD)/pimcosim cover --json $(BUILD)/coverage/cover.json $(VECTORS)
## cover-models    the Verilator --coverage models of the suite (...+cov.so)
cover-models: $(BUILD)/pimcosim
	$(Q)$(MODELS) --coverage $(VECTORS)
## coverage-rtl    functional coverage and Verilator line/toggle coverage of the RTL
coverage-rtl: cover-models
	$(Q)$(BUILD)/pimcosim cover --rtl $(BUILD)/coverage --json $(BUILD)/coverage/cover.json $(VECTORS)

## wave            one vector with waves of its whole run: make wave VECTOR=<id>
wave: $(BUILD)/pimcosim rtl-models
	@test -n "$(VECTOR)" || { echo "make wave VECTOR=<vector id>"; exit 2; }
	$(Q)$(BUILD)/pimcosim run --wave --filter '$(VECTOR)' --out $(BUILD)/waves $(VECTORS); \
	  echo "view: gtkwave $(BUILD)/waves/$(VECTOR)/wave.tile.gtkw   (vector unit: wave.vu.gtkw)"

## debug           after a divergence: waves around it, .gtkw, replay, shrink (injected faults)
debug: $(BUILD)/pimcosim rtl-models test-models
	$(Q)bash tests/sh/debug_test.sh $(BUILD)/pimcosim

## mutate          mutation testing: every generated mutant of rtl/*.sv and the hand-written
##                 ones (tests/data/mutants) on the vectors and the random ones, with stress
MUTATE_ARGS ?=
mutate: $(BUILD)/pimcosim gen-vectors
	$(Q)$(BUILD)/pimcosim mutate --jobs $(JOBS) --patches tests/data/mutants \
	  --json $(BUILD)/mutate/report.json $(MUTATE_ARGS) $(VECTORS) $(BUILD)/gen tests/data/mutate
## mutate-sample   a fixed sample of the mutants (make test): 4 generated, the hand-written ones
mutate-sample: $(BUILD)/pimcosim gen-vectors
	$(Q)$(BUILD)/pimcosim mutate --jobs $(JOBS) --sample 4 --seed 11 --patches tests/data/mutants \
	  --out $(BUILD)/mutate-sample --json $(BUILD)/mutate-sample/report.json $(VECTORS) $(BUILD)/gen tests/data/mutate

## gate            the gate's own promises: models by content (a restored cache, an edit),
##                 reports independent of --jobs, stress through the command line
gate: $(BUILD)/pimcosim rtl-models test-models
	$(Q)bash tests/sh/gate_test.sh $(BUILD)/pimcosim

## runner          the runner as CI uses it: jobs, shards, merge, reports, timeout, crash
runner: $(BUILD)/pimcosim rtl-models test-models
	$(Q)bash tests/sh/runner_test.sh $(BUILD)/pimcosim

## real            every PIMCOMP-NN stream of REAL whole on the golden model (hash printed,
##                 counts against REAL's README), a slice of each on golden and in lockstep
##                 against the Python model's values, AlexNet whole in lockstep
##                 (WHOLE_LOCKSTEP=1, WHOLE_MODES), dialect, raw-output and option errors
real: $(BUILD)/pimcosim rtl-models test-models
	$(Q)WHOLE_LOCKSTEP=$(WHOLE_LOCKSTEP) WHOLE_MODES="$(WHOLE_MODES)" PYTHON=$(PYTHON) bash tests/sh/real_test.sh $(BUILD)/pimcosim $(REAL) $(REAL_CONFIG)

## run             run the shipped conformance vectors in lockstep on the RTL
run: $(BUILD)/pimcosim rtl-models
	$(Q)$(BUILD)/pimcosim run --stress $(STRESS) $(VECTORS)

## bench           throughput figures beside their targets: golden mvmul/s (with a clipping
##                 ADC), lockstep rates and harness overheads, a real network whole in
##                 lockstep, the cocotb ratios (from make bench-cocotb), model build times
bench: $(BUILD)/bench_golden $(BUILD)/bench_rtl $(BUILD)/pimcosim rtl-models
	$(Q)$(BUILD)/bench_golden
	@mkdir -p $(BUILD)/bench
	$(Q)$(BUILD)/bench_rtl
	$(Q)PYTHON=$(PYTHON) bash tests/sh/bench_targets.sh $(BUILD) $(REAL) $(REAL_CONFIG)

## bench-cocotb    the same tile and vector-unit operations in cocotb 1.9 with numpy
##                 scoreboards (its own venv from PyPI, in build/cocotb-venv), and the ratios
bench-cocotb: $(BUILD)/bench_rtl rtl-models
	$(Q)PYTHON=$(PYTHON) bash tests/bench/cocotb/run.sh $(BUILD)

## bench-real      every stream of REAL whole on the golden model (best of RUNS=3):
##                 instructions, time, memory, hash, PIMSIM-NN's time where REAL's README
##                 gives one; LOCKSTEP=1 adds each whole in lockstep on the RTL
bench-real: $(BUILD)/pimcosim
	$(Q)SEED=$(SEED) LOCKSTEP=$(LOCKSTEP) PYTHON=$(PYTHON) bash tests/sh/bench_real.sh $(BUILD)/pimcosim $(REAL) $(REAL_CONFIG)

## rtl-models      build every RTL model the vectors need, in parallel
## test-models     build the models the RTL unit tests need (faults, 7 lanes)
## clean           remove build/
clean:
	rm -rf $(BUILD)

.PHONY: all help deps test unit unit-core unit-rtl unit-san unit-san-core unit-san-rtl \
  check-pkg pkg vectors-golden pyref cli lint synth vectors-lockstep gen-vectors \
  random-lockstep soak coverage cover-models coverage-rtl wave debug runner real run bench \
  test-parts bench-real bench-cocotb pyref-real gtkwave-check rtl-models test-models gate mutate mutate-sample synth-check fuzz fuzz-build \
  fuzz-regress hostile clean

-include $(shell find $(BUILD)/obj $(BUILD)/san $(BUILD)/fuzz/obj -name '*.d' 2>/dev/null)
