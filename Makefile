# pimcosim - one entry point. Everything generated goes under build/.
#
#   make deps     install the Debian packages (apt-get; sudo when not root)
#   make test     build and run every test (lint, unit, sanitizers, vectors, lockstep, CLI)
#   make run      run the shipped conformance vectors in lockstep on the RTL
#   make lint     Verilator, Icarus and yosys cross-checks of the RTL
#   make coverage functional coverage of the suite (coverage-rtl: with Verilator's)
#   make bench    print throughput figures (bench-real: the AlexNet streams)
#   make real     the PIMCOMP-NN AlexNet streams: golden, slices and whole in lockstep
#
# Settings (override on the command line: make test V=1 NATIVE=0):
# 1: echo every command
V ?= 0
# 1: build for this host's instruction set (-march=native); 0: portable
NATIVE ?= 1
# optimisation level of the normal build (-O3 vectorizes the mvmul dot products)
OPT ?= -O3
# 1: make bench-real also runs the whole of AlexNet element mode in lockstep
LOCKSTEP ?= 0
# seed for data filled from a seed (exec, bench)
SEED ?= 1
# runs the independent reference model in tests/pyref
PYTHON ?= python3
# what `make run` runs
VECTORS ?= vectors
# the real compiled networks (PIMCOMP-NN AlexNet) and the config they were compiled for
REAL ?= ../shared/real
REAL_CONFIG ?= ../shared/reference/pimcomp-nn-config.json
# 1: `make real` also runs the whole of both AlexNet streams in lockstep (about 45 s)
WHOLE_LOCKSTEP ?= 1
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
CPPFLAGS := -D_POSIX_C_SOURCE=200809L -Iinclude $(PKG_CFLAGS)
CFLAGS := $(WARN) $(OPT) $(ARCH) -g -MMD -MP
SANFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

GOLDEN_SRC := $(wildcard golden/*.c)
LOAD_SRC := harness/load.c harness/load_json.c harness/expect.c
DUT_SRC := harness/rtl.c harness/lockstep.c harness/debug.c
TOOLS_SRC := harness/gen.c harness/cover.c harness/cli_util.c harness/shrink.c
CLI_SRC := harness/main.c harness/runner.c harness/stream.c
TEST_SRC := $(wildcard tests/test_*.c)
TESTS := $(patsubst tests/%.c,%,$(TEST_SRC))

# ---------------------------------------------------------------- normal build
obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
san = $(patsubst %.c,$(BUILD)/san/%.o,$(1))

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/san/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(WARN) $(SANFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libpimgolden.a: $(call obj,$(GOLDEN_SRC))
	$(Q)ar rcs $@ $^
$(BUILD)/libpimload.a: $(call obj,$(LOAD_SRC))
	$(Q)ar rcs $@ $^
$(BUILD)/libpimdut.a: $(call obj,$(DUT_SRC))
	$(Q)ar rcs $@ $^
$(BUILD)/libpimtools.a: $(call obj,$(TOOLS_SRC))
	$(Q)ar rcs $@ $^
$(BUILD)/san/libpim.a: $(call san,$(TOOLS_SRC) $(DUT_SRC) $(LOAD_SRC) $(GOLDEN_SRC))
	$(Q)ar rcs $@ $^

LIBS := $(BUILD)/libpimload.a $(BUILD)/libpimgolden.a

$(BUILD)/pimcosim: $(call obj,$(CLI_SRC)) $(BUILD)/libpimtools.a $(BUILD)/libpimdut.a $(LIBS)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) -ldl -lm

$(BUILD)/bench_golden: $(call obj,tests/bench_golden.c) $(LIBS)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/bench_rtl: $(call obj,tests/bench_rtl.c) $(BUILD)/libpimdut.a $(LIBS)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) -ldl -lm

$(BUILD)/test_%: $(call obj,tests/test_%.c tests/testutil.c) $(BUILD)/libpimtools.a $(BUILD)/libpimdut.a $(LIBS)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(CHECK_LIBS) $(PKG_LIBS) -ldl -lm

$(BUILD)/san/test_%: $(call san,tests/test_%.c tests/testutil.c) $(BUILD)/san/libpim.a
	$(Q)$(CC) $(SANFLAGS) -o $@ $^ $(CHECK_LIBS) $(PKG_LIBS) -ldl -lm

# ---------------------------------------------------------------- RTL models
# One shared object per unit and parameter set (harness/build_model.sh); `pimcosim run`
# builds a missing one itself, `make rtl-models` builds all the vectors need, in parallel.
RTL_SRC := rtl/pim_pkg.sv rtl/lint.vlt harness/build_model.sh harness/rtl_port.h include/pim_rtl.h
$(BUILD)/rtl/tile-%.so: $(RTL_SRC) rtl/pim_xbar_tile.sv harness/rtl_tile_shim.cpp
	@mkdir -p $(dir $@)
	$(Q)bash harness/build_model.sh tile $* $@
$(BUILD)/rtl/vu-%.so: $(RTL_SRC) rtl/pim_vector_unit.sv harness/rtl_vu_shim.cpp
	@mkdir -p $(dir $@)
	$(Q)bash harness/build_model.sh vu $* $@

rtl-models: $(BUILD)/pimcosim
	$(Q)$(MAKE) --no-print-directory -j$(JOBS) $$($(BUILD)/pimcosim models $(VECTORS))

# Models tests/test_rtl.c needs beyond the vectors': another lane count, and the models with
# an injected fault (the harness must catch them).
test-models: $(BUILD)/pimcosim
	$(Q)$(MAKE) --no-print-directory -j$(JOBS) $(BUILD)/rtl/vu-l7-f8.so \
	  $$($(BUILD)/pimcosim models --fault PIM_FAULT_ADC_CLIP_HIGH \
	      vectors/matrix/matrix.mvmul.hand-2x2-clip.json) \
	  $$($(BUILD)/pimcosim models --fault PIM_FAULT_VVSRA_ROUND \
	      vectors/vector/vector.vvsra.floor.json vectors/vector/vector.vvadd.sat-high.json)

.PHONY: real bench-real wave debug all deps test rtl-models test-models lint synth vectors-lockstep runner gen-vectors random-lockstep soak coverage cover-models coverage-rtl unit unit-san vectors-golden pyref run bench clean help
all: $(BUILD)/pimcosim $(addprefix $(BUILD)/,$(TESTS))

help:
	@sed -n '2,12p' Makefile

# ---------------------------------------------------------------- dependencies
DEBS := verilator libcjson-dev check zlib1g-dev pkg-config iverilog yosys gtkwave python3 gcc g++ make
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
deps:
	$(SUDO) apt-get update -q
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $(DEBS)

# ---------------------------------------------------------------- tests
unit: $(addprefix $(BUILD)/,$(TESTS)) rtl-models test-models
	$(Q)set -e; for t in $(TESTS); do echo "== $$t"; $(BUILD)/$$t; done

# The same unit tests under AddressSanitizer and UndefinedBehaviorSanitizer.
unit-san: $(addprefix $(BUILD)/san/,$(TESTS)) rtl-models test-models
	$(Q)set -e; for t in $(TESTS); do echo "== $$t (asan+ubsan)"; \
	  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/san/$$t; done

# Every shipped vector on the golden model.
vectors-golden: $(BUILD)/pimcosim
	$(Q)$(BUILD)/pimcosim run --golden-only --quiet $(VECTORS)

# The independent Python reference model re-derives every vector's expectations.
# It also recomputes the AlexNet slices' values that `make real` holds the C side to.
pyref:
	$(Q)$(PYTHON) tests/pyref/check_vectors.py $(VECTORS)
	$(Q)$(PYTHON) tests/pyref/real_slice.py --self-test
	$(Q)$(PYTHON) tests/pyref/real_slice.py --slices tests/data/real/slices.json

# CLI behaviour: exit codes and one-line errors on bad input.
cli: $(BUILD)/pimcosim rtl-models test-models
	$(Q)bash tests/cli_test.sh $(BUILD)/pimcosim

# RTL: Verilator -Wall over several parameter sets, Icarus, yosys (tests/rtl_lint.sh).
lint:
	$(Q)bash tests/rtl_lint.sh lint
synth:
	$(Q)bash tests/rtl_lint.sh synth

# Every shipped vector in lockstep: golden model against the Verilated RTL units.
vectors-lockstep: $(BUILD)/pimcosim rtl-models
	$(Q)$(BUILD)/pimcosim run --jobs $(JOBS) --quiet $(VECTORS)

# Constrained-random vectors in lockstep: a fixed set of seeds in `make test`, many in soak.
GEN_SEEDS ?= 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20
SEEDS ?= 200
gen-vectors: $(BUILD)/pimcosim
	@rm -rf $(BUILD)/gen && mkdir -p $(BUILD)/gen
	$(Q)for s in $(GEN_SEEDS); do $(BUILD)/pimcosim gen --seed $$s --cores $$(( s % 4 + 1 )) \
	  -o $(BUILD)/gen/seed-$$s.json || exit 2; done
	$(Q)for s in 101 102 103 104; do $(BUILD)/pimcosim gen --seed $$s --cores 4 --insns 500 \
	  -o $(BUILD)/gen/big-$$s.json || exit 2; done
random-lockstep: gen-vectors rtl-models
	$(Q)$(BUILD)/pimcosim run --jobs $(JOBS) --quiet $(BUILD)/gen
soak: $(BUILD)/pimcosim rtl-models
	@rm -rf $(BUILD)/soak && mkdir -p $(BUILD)/soak
	$(Q)for s in $$(seq 1000 $$(( 999 + $(SEEDS) ))); do $(BUILD)/pimcosim gen --seed $$s \
	  --cores $$(( s % 6 + 1 )) --insns $$(( 100 + s % 400 )) -o $(BUILD)/soak/seed-$$s.json || exit 2; done
	$(Q)$(BUILD)/pimcosim run --jobs $(JOBS) --quiet --junit $(BUILD)/soak/junit.xml $(BUILD)/soak

# Coverage: functional (per op and corner class, gaps listed) and, beside it, Verilator line
# and toggle coverage of the RTL (models built with --coverage, named ...+cov.so).
coverage: $(BUILD)/pimcosim
	@mkdir -p $(BUILD)/coverage
	$(Q)$(BUILD)/pimcosim cover --json $(BUILD)/coverage/cover.json $(VECTORS)
cover-models: $(BUILD)/pimcosim
	$(Q)$(MAKE) --no-print-directory -j$(JOBS) $$($(BUILD)/pimcosim models $(VECTORS) | sed 's/\.so$$/+cov.so/')
coverage-rtl: cover-models
	$(Q)$(BUILD)/pimcosim cover --rtl $(BUILD)/coverage --json $(BUILD)/coverage/cover.json $(VECTORS)

# One vector with waves of its whole run: `make wave VECTOR=matrix.mvmul.ref-128x128`.
wave: $(BUILD)/pimcosim rtl-models
	@test -n "$(VECTOR)" || { echo "make wave VECTOR=<vector id>"; exit 2; }
	$(Q)$(BUILD)/pimcosim run --wave --filter '$(VECTOR)' --out $(BUILD)/waves $(VECTORS); \
	  echo "view: gtkwave $(BUILD)/waves/$(VECTOR)/wave.tile.gtkw   (vector unit: wave.vu.gtkw)"

# After a divergence: waves around it, .gtkw, replay, shrink (faults injected in the RTL).
debug: $(BUILD)/pimcosim rtl-models test-models
	$(Q)bash tests/debug_test.sh $(BUILD)/pimcosim

# The runner as CI uses it: jobs, shards, merge, JUnit/TAP/JSON, timeout, crash.
runner: $(BUILD)/pimcosim rtl-models test-models
	$(Q)bash tests/runner_test.sh $(BUILD)/pimcosim

# The real PIMCOMP-NN AlexNet streams: whole on the golden model, slices against the Python
# model's values, whole in lockstep (WHOLE_LOCKSTEP=1), dialect and option errors.
real: $(BUILD)/pimcosim rtl-models $(BUILD)/rtl/vu-l32-f4+PIM_FAULT_VVADD_WRAP.so
	$(Q)WHOLE_LOCKSTEP=$(WHOLE_LOCKSTEP) PYTHON=$(PYTHON) bash tests/real_test.sh $(BUILD)/pimcosim $(REAL) $(REAL_CONFIG)

test: lint unit unit-san pyref vectors-golden vectors-lockstep random-lockstep cli runner debug real coverage synth

run: $(BUILD)/pimcosim rtl-models
	$(Q)$(BUILD)/pimcosim run $(VECTORS)

bench: $(BUILD)/bench_golden $(BUILD)/bench_rtl rtl-models
	$(Q)$(BUILD)/bench_golden
	@mkdir -p $(BUILD)/bench
	$(Q)$(BUILD)/bench_rtl

# Both AlexNet streams on the golden model (best of 3) against PIMSIM-NN's figures;
# LOCKSTEP=1 adds the whole of element mode in lockstep on the RTL.
bench-real: $(BUILD)/pimcosim
	$(Q)SEED=$(SEED) LOCKSTEP=$(LOCKSTEP) bash tests/bench_real.sh $(BUILD)/pimcosim $(REAL) $(REAL_CONFIG)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj $(BUILD)/san -name '*.d' 2>/dev/null)
