/* bench_util.h - the benchmarks' clock. */
#ifndef PIM_BENCH_UTIL_H
#define PIM_BENCH_UTIL_H

#include <time.h>

/* Seconds on the monotonic clock. */
static inline double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

#endif
