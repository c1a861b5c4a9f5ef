/*
 * pim_config.h - the hardware knobs, one structure shared by the golden model, the harness
 * and (through generated parameters) the RTL.
 *
 * The values come from PIMSIM-NN's architecture config (chip_config.core_config.matrix_config
 * and friends, loaded by pim_load_config_file in pim_load.h) plus pimcosim's own keys:
 *   chip_config.core_config.local_memory_config.memory_size   (bytes, default 1 MiB)
 *   chip_config.global_memory_config.memory_size              (bytes, default 64 MiB)
 *   chip_config.core_config.vector_config.activation_frac_bits (default 4)
 *   chip_config.core_config.matrix_config.adc_clip             (bool, default true)
 */
#ifndef PIM_CONFIG_H
#define PIM_CONFIG_H

#include <stdint.h>
#include "pim_status.h"

typedef struct pim_config {
    uint32_t core_cnt;             /* cores in the machine (chip_config.core_cnt) */
    uint32_t xbar_rows;            /* matrix_config.xbar_size[0]: inputs per crossbar */
    uint32_t xbar_cols;            /* matrix_config.xbar_size[1]: cell columns per crossbar */
    uint32_t xbar_array_count;     /* crossbars per core */
    uint32_t cell_precision;       /* p: bits per cell, 1..16 */
    uint32_t dac_resolution;       /* d: input bits per DAC step, 1..16 */
    uint32_t adc_resolution;       /* a: ADC bits, 1..32 */
    uint32_t adc_clip;             /* 1: the ADC saturates at 2^a - 1 (profile); 0: ideal ADC */
    uint32_t vector_width;         /* vector unit lanes */
    uint32_t activation_frac_bits; /* F: fractional bits of vsigm/vtanh, 0..30 */
    uint64_t local_mem_size;       /* bytes of each core's local memory */
    uint64_t global_mem_size;      /* bytes of the global memory */
} pim_config;

#define PIM_DEFAULT_LOCAL_MEM (1u << 20)
#define PIM_DEFAULT_GLOBAL_MEM (64u << 20)
#define PIM_MAX_CORES 1024
#define PIM_MAX_XBAR_DIM 4096

/* Fills *cfg with the defaults: the reference architecture of the README (128x128 crossbars,
 * 2-bit cells, 1-bit DAC, 8-bit ADC, 64 crossbars, 32 lanes, 1 core, 1 MiB / 64 MiB). */
void pim_config_default(pim_config *cfg);

/* Checks every knob's range; on failure fills *err (field named as in the JSON config). */
pim_status pim_config_validate(const pim_config *cfg, pim_error *err);

/* Cells one weight of mbiw bits occupies: ceil(mbiw / cell_precision). */
uint32_t pim_config_cells_per_weight(const pim_config *cfg, uint32_t mbiw);

/* Output columns one crossbar provides for mbiw-bit weights: xbar_cols / cells_per_weight
 * (0 when a weight does not fit one crossbar's row). */
uint32_t pim_config_cols_per_xbar(const pim_config *cfg, uint32_t mbiw);

/* Crossbars an array group of `cols` outputs of mbiw-bit weights needs (0 if impossible). */
uint32_t pim_config_xbars_for_group(const pim_config *cfg, uint32_t mbiw, uint32_t cols);

#endif /* PIM_CONFIG_H */
