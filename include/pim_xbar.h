/*
 * pim_xbar.h - the crossbar matrix unit of the profile ("Matrix instruction: mvmul").
 *
 * A group is programmed once from its signed weight matrix; programming precomputes what the
 * hardware knows at that time (cells, column weight sums, per-slice cell sums). pim_xbar_mvmul
 * then computes the profile's result bit-exactly: the exact dot product, corrected for every
 * (step, slice, column) whose sum the ADC clips. A step whose sums provably stay below the
 * ADC's full scale costs nothing beyond the dot product.
 */
#ifndef PIM_XBAR_H
#define PIM_XBAR_H

#include <stdint.h>
#include "pim_config.h"
#include "pim_status.h"

typedef struct pim_xbar_group pim_xbar_group;

/* Programs a group of `rows` x `cols` signed mbiw-bit weights, w[i*cols + j] for row i (input
 * element) and column j (output element). Checks rows <= xbar_rows, mbiw 1..32, weights in
 * range, and that the group fits the core's crossbars. The group copies what it needs: w is
 * only read. On success *out is owned by the caller (pim_xbar_group_free). */
pim_status pim_xbar_group_new(const pim_config *cfg, uint32_t mbiw, uint32_t rows, uint32_t cols,
                              const int32_t *w, pim_xbar_group **out, pim_error *err);
void pim_xbar_group_free(pim_xbar_group *g); /* NULL is ignored */

/* The most memory pim_xbar_group_new (and the machine filling its weights) can take for a
 * group of rows x cols mbiw-bit weights on cfg, in bytes: what a loader charges to its
 * budget before the group exists. */
uint64_t pim_xbar_group_bytes(const pim_config *cfg, uint32_t mbiw, uint32_t rows, uint32_t cols);

uint32_t pim_xbar_group_rows(const pim_xbar_group *g);
uint32_t pim_xbar_group_cols(const pim_xbar_group *g);
uint32_t pim_xbar_group_mbiw(const pim_xbar_group *g);
/* The weights, row-major (rows x cols), as programmed; valid while g lives. */
const int32_t *pim_xbar_group_weights(const pim_xbar_group *g);
/* Weight of row i, column j. */
int32_t pim_xbar_group_weight(const pim_xbar_group *g, uint32_t i, uint32_t j);

/* y[j] for j < cols: the mvmul of the profile for inputs x[0..rows) of ibiw bits (already in
 * range), with relu (0/1) and saturation to obiw. cfg must be the one the group was made with.
 * `scratch` may be NULL; the call is pure (the group is not modified). Returns the number of
 * (step, slice, column) sums the ADC clipped, for statistics and coverage. */
uint64_t pim_xbar_mvmul(const pim_xbar_group *g, const pim_config *cfg, uint32_t ibiw,
                        const int64_t *x, uint32_t relu, uint32_t obiw, int64_t *y);

/* The clipping ADC's column loop is compiled for several instruction sets; a group runs the
 * best one this processor has. For tests: make g run `kernel` instead. Returns 0, or -1 when
 * this processor lacks it (g unchanged). */
typedef enum pim_xbar_kernel {
    PIM_XBAR_KERNEL_BEST = 0, /* the best this processor runs */
    PIM_XBAR_KERNEL_AVX512,   /* AVX-512 with its vector popcount */
    PIM_XBAR_KERNEL_POPCNT,   /* the scalar popcount instruction */
    PIM_XBAR_KERNEL_C,        /* plain C */
    PIM_XBAR_KERNEL_COUNT
} pim_xbar_kernel;
int pim_xbar_group_set_kernel(pim_xbar_group *g, pim_xbar_kernel kernel);

/* The same result computed the slow, literal way: every row, column, slice and step, one
 * ADC read each. The oracle for pim_xbar_mvmul in tests and the benchmark's baseline. */
uint64_t pim_xbar_mvmul_literal(const pim_xbar_group *g, const pim_config *cfg, uint32_t ibiw,
                                const int64_t *x, uint32_t relu, uint32_t obiw, int64_t *y);

/* Where an mvmul's column sums sit against the ADC's full scale FS = 2^a - 1, for coverage:
 * the corners an RTL ADC gets wrong first. */
typedef struct pim_xbar_sums {
    uint64_t sums;          /* (step, slice, column) sums read */
    uint64_t at_full_scale; /* sums of exactly FS (read as they are) */
    uint64_t one_over;      /* sums of exactly FS + 1 = 2^a (clipped by one) */
    uint64_t max_sum;       /* the largest sum read */
    uint64_t sum_bound;     /* the largest sum any input could give this group:
                             * rows * (2^d' - 1) * (2^p' - 1), d' = min(d, ibiw),
                             * p' = min(p, mbiw) */
} pim_xbar_sums;

/* Fills *st for the mvmul of x (ibiw bits) on g (the literal walk: slow, for coverage). */
void pim_xbar_sum_stats(const pim_xbar_group *g, const pim_config *cfg, uint32_t ibiw,
                        const int64_t *x, pim_xbar_sums *st);

#endif /* PIM_XBAR_H */
