/*
 * pim_shrink.h - `pimcosim shrink`: the smallest vector that still shows a divergence
 * (harness/shrink.c).
 */
#ifndef PIM_SHRINK_H
#define PIM_SHRINK_H

/* `pimcosim shrink [--fault NAME] [--seed S] [-o OUT] FAILING.json` (argv[0] is "shrink").
 * Exit: 0 the minimal vector written, 1 the vector does not diverge, 2 bad input. */
int pim_shrink_main(int argc, char **argv);

#endif
