/* config.c - defaults and range checks of the hardware knobs (pim_config.h). */
#include "pim_config.h"

#include <string.h>

void pim_config_default(pim_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->core_cnt = 1;
    cfg->xbar_rows = 128;
    cfg->xbar_cols = 128;
    cfg->xbar_array_count = 64;
    cfg->cell_precision = 2;
    cfg->dac_resolution = 1;
    cfg->adc_resolution = 8;
    cfg->adc_clip = 1;
    cfg->vector_width = 32;
    cfg->activation_frac_bits = 4;
    cfg->local_mem_size = PIM_DEFAULT_LOCAL_MEM;
    cfg->global_mem_size = PIM_DEFAULT_GLOBAL_MEM;
}

#define CHECK(cond, field, ...)                                                        \
    do {                                                                               \
        if (!(cond))                                                                   \
            return pim_error_set(err, PIM_E_INPUT, -1, -1, field, __VA_ARGS__);        \
    } while (0)

pim_status pim_config_validate(const pim_config *c, pim_error *err)
{
    CHECK(c->core_cnt >= 1 && c->core_cnt <= PIM_MAX_CORES, "core_cnt",
          "%u is outside 1..%u", c->core_cnt, PIM_MAX_CORES);
    CHECK(c->xbar_rows >= 1 && c->xbar_rows <= PIM_MAX_XBAR_DIM, "xbar_size",
          "rows %u outside 1..%u", c->xbar_rows, PIM_MAX_XBAR_DIM);
    CHECK(c->xbar_cols >= 1 && c->xbar_cols <= PIM_MAX_XBAR_DIM, "xbar_size",
          "columns %u outside 1..%u", c->xbar_cols, PIM_MAX_XBAR_DIM);
    CHECK(c->xbar_array_count >= 1 && c->xbar_array_count <= 65536, "xbar_array_count",
          "%u outside 1..65536", c->xbar_array_count);
    CHECK(c->cell_precision >= 1 && c->cell_precision <= 16, "cell_precision",
          "%u outside 1..16", c->cell_precision);
    CHECK(c->dac_resolution >= 1 && c->dac_resolution <= 16, "dac_resolution",
          "%u outside 1..16", c->dac_resolution);
    CHECK(c->adc_resolution >= 1 && c->adc_resolution <= 32, "adc_resolution",
          "%u outside 1..32", c->adc_resolution);
    CHECK(c->adc_clip <= 1, "adc_clip", "must be true or false");
    CHECK(c->vector_width >= 1 && c->vector_width <= 4096, "vector_width",
          "%u outside 1..4096", c->vector_width);
    CHECK(c->activation_frac_bits <= 30, "activation_frac_bits", "%u outside 0..30",
          c->activation_frac_bits);
    CHECK(c->local_mem_size >= 1 && c->local_mem_size <= ((uint64_t)1 << 32), "memory_size",
          "local memory of %llu bytes outside 1..2^32", (unsigned long long)c->local_mem_size);
    CHECK(c->global_mem_size >= 1 && c->global_mem_size <= ((uint64_t)1 << 36), "memory_size",
          "global memory of %llu bytes outside 1..2^36",
          (unsigned long long)c->global_mem_size);
    return PIM_OK;
}

uint32_t pim_config_cells_per_weight(const pim_config *cfg, uint32_t mbiw)
{
    return (mbiw + cfg->cell_precision - 1) / cfg->cell_precision;
}

uint32_t pim_config_cols_per_xbar(const pim_config *cfg, uint32_t mbiw)
{
    const uint32_t cells = pim_config_cells_per_weight(cfg, mbiw);
    return cells ? cfg->xbar_cols / cells : 0;
}

uint32_t pim_config_xbars_for_group(const pim_config *cfg, uint32_t mbiw, uint32_t cols)
{
    const uint32_t per = pim_config_cols_per_xbar(cfg, mbiw);
    if (per == 0)
        return 0;
    return cols == 0 ? 1 : (cols + per - 1) / per;
}
