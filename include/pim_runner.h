/*
 * pim_runner.h - the vector runner behind `pimcosim run` and `pimcosim merge`
 * (harness/runner.c): worker processes, shards, filters, timeouts, JUnit / TAP / JSON.
 */
#ifndef PIM_RUNNER_H
#define PIM_RUNNER_H

/* `pimcosim run ...` (argv[0] is "run"). Returns the process exit code: 0 all passed,
 * 1 a mismatch, failure, timeout or crash, 2 bad input. */
int pim_run_main(int argc, char **argv);

/* `pimcosim merge [--junit FILE] [--json FILE] REPORT.json...` (argv[0] is "merge"): joins
 * shards' JSON reports. Same exit codes. */
int pim_merge_main(int argc, char **argv);

/* `pimcosim replay [--wave-on-fail] [--out DIR] REPRO.json` (argv[0] is "replay"): reruns a
 * failure bundle's vector with its seed and fault and says whether the same divergence
 * comes back. 1: it does (or another failure), 0: the vector passes now, 2: bad bundle. */
int pim_replay_main(int argc, char **argv);

/* `pimcosim exec STREAM --config CFG ...` (argv[0] is "exec", harness/stream.c): a
 * PIMSIM-NN stream on the golden model. 0 ran, 2 bad input or execution error. */
int pim_exec_main(int argc, char **argv);

/* `pimcosim run --stream STREAM --config CFG ...` (argv[0] is "run"): the stream in
 * lockstep on the golden model and the RTL. 0 no divergence, 1 a divergence, 2 bad input. */
int pim_stream_run_main(int argc, char **argv);

#endif
