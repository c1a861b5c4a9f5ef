/*
 * config.c - numbers in JSON, PIMSIM-NN architecture configs, whole documents (pim_load.h,
 * load_internal.h).
 */
#include "pim_load.h"
#include "load_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pim_status pim_json_int(const cJSON *v, const char *field, int64_t lo, int64_t hi,
                        int allow_float, int64_t *out, pim_error *err)
{
    if (!cJSON_IsNumber(v))
        return pim_error_set(err, PIM_E_INPUT, -1, -1, field, "must be an integer%s",
                             cJSON_IsString(v) ? " (got a string)" : "");
    const double d = v->valuedouble;
    if (d != d || d < -9.2e18 || d > 9.2e18 || (double)(int64_t)d != d)
        return pim_error_set(err, PIM_E_INPUT, -1, -1, field, "must be an integer (got %g)", d);
    (void)allow_float;
    const int64_t x = (int64_t)d;
    if (x < lo || x > hi)
        return pim_error_set(err, PIM_E_INPUT, -1, -1, field, "%lld is outside %lld..%lld",
                             (long long)x, (long long)lo, (long long)hi);
    *out = x;
    return PIM_OK;
}

/* Reads an optional integer member of obj at path `name`; absent leaves *out unchanged. */
static pim_status opt_u64(const cJSON *obj, const char *name, const char *path, int64_t lo,
                          int64_t hi, uint64_t *out, pim_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!v)
        return PIM_OK;
    char field[160];
    snprintf(field, sizeof field, "%s.%s", path, name);
    int64_t x = 0;
    pim_status st = pim_json_int(v, field, lo, hi, 0, &x, err);
    if (st == PIM_OK)
        *out = (uint64_t)x;
    return st;
}

static pim_status opt_u32(const cJSON *obj, const char *name, const char *path, int64_t lo,
                          int64_t hi, uint32_t *out, pim_error *err)
{
    uint64_t v = *out;
    pim_status st = opt_u64(obj, name, path, lo, hi, &v, err);
    *out = (uint32_t)v;
    return st;
}

static pim_status want_object(const cJSON *v, const char *field, pim_error *err)
{
    if (v && !cJSON_IsObject(v))
        return pim_error_set(err, PIM_E_INPUT, -1, -1, field, "must be an object");
    return PIM_OK;
}

/* chip_config.core_config.matrix_config (NULL: absent, the defaults stay). */
static pim_status matrix_config(const cJSON *mx, pim_config *cfg, pim_error *err)
{
    const char *mp = "chip_config.core_config.matrix_config";
    pim_status st;
    if ((st = want_object(mx, mp, err)) || !mx)
        return st;
    const cJSON *xs = cJSON_GetObjectItemCaseSensitive(mx, "xbar_size");
    if (xs) {
        int64_t r, c;
        if (!cJSON_IsArray(xs) || cJSON_GetArraySize(xs) != 2)
            return pim_error_set(err, PIM_E_INPUT, -1, -1,
                                 "chip_config.core_config.matrix_config.xbar_size",
                                 "must be [rows, columns]");
        if ((st = pim_json_int(cJSON_GetArrayItem(xs, 0),
                               "chip_config.core_config.matrix_config.xbar_size[0]", 1,
                               PIM_MAX_XBAR_DIM, 0, &r, err)) ||
            (st = pim_json_int(cJSON_GetArrayItem(xs, 1),
                               "chip_config.core_config.matrix_config.xbar_size[1]", 1,
                               PIM_MAX_XBAR_DIM, 0, &c, err)))
            return st;
        cfg->xbar_rows = (uint32_t)r;
        cfg->xbar_cols = (uint32_t)c;
    }
    if ((st = opt_u32(mx, "xbar_array_count", mp, 1, 65536, &cfg->xbar_array_count, err)) ||
        (st = opt_u32(mx, "cell_precision", mp, 1, 16, &cfg->cell_precision, err)) ||
        (st = opt_u32(mx, "dac_resolution", mp, 1, 16, &cfg->dac_resolution, err)) ||
        (st = opt_u32(mx, "adc_resolution", mp, 1, 32, &cfg->adc_resolution, err)))
        return st;
    const cJSON *clip = cJSON_GetObjectItemCaseSensitive(mx, "adc_clip");
    if (clip) {
        if (!cJSON_IsBool(clip))
            return pim_error_set(err, PIM_E_INPUT, -1, -1,
                                 "chip_config.core_config.matrix_config.adc_clip",
                                 "must be true or false");
        cfg->adc_clip = cJSON_IsTrue(clip) ? 1 : 0;
    }
    return PIM_OK;
}

pim_status pim_config_from_json(const cJSON *root, pim_config *cfg, int *core_cnt_given,
                                pim_error *err)
{
    pim_config_default(cfg);
    if (core_cnt_given)
        *core_cnt_given = 0;
    if (!cJSON_IsObject(root))
        return pim_error_set(err, PIM_E_INPUT, -1, -1, "config", "must be an object");
    const cJSON *chip = cJSON_GetObjectItemCaseSensitive(root, "chip_config");
    if (!chip)
        return pim_error_set(err, PIM_E_INPUT, -1, -1, "chip_config",
                             "missing (not a PIMSIM-NN architecture config)");
    pim_status st;
    if ((st = want_object(chip, "chip_config", err)))
        return st;
    if (cJSON_GetObjectItemCaseSensitive(chip, "core_cnt") && core_cnt_given)
        *core_cnt_given = 1;
    if ((st = opt_u32(chip, "core_cnt", "chip_config", 1, PIM_MAX_CORES, &cfg->core_cnt, err)))
        return st;
    const cJSON *core = cJSON_GetObjectItemCaseSensitive(chip, "core_config");
    if ((st = want_object(core, "chip_config.core_config", err)))
        return st;
    if (core) {
        const char *cp = "chip_config.core_config";
        if ((st = opt_u32(core, "vector_width", cp, 1, 4096, &cfg->vector_width, err)))
            return st;
        const cJSON *mx = cJSON_GetObjectItemCaseSensitive(core, "matrix_config");
        if ((st = matrix_config(mx, cfg, err)))
            return st;
        const cJSON *vc = cJSON_GetObjectItemCaseSensitive(core, "vector_config");
        if ((st = want_object(vc, "chip_config.core_config.vector_config", err)))
            return st;
        if (vc && (st = opt_u32(vc, "activation_frac_bits", "chip_config.core_config.vector_config",
                                0, 30, &cfg->activation_frac_bits, err)))
            return st;
        const cJSON *lm = cJSON_GetObjectItemCaseSensitive(core, "local_memory_config");
        if ((st = want_object(lm, "chip_config.core_config.local_memory_config", err)))
            return st;
        if (lm && (st = opt_u64(lm, "memory_size", "chip_config.core_config.local_memory_config",
                                1, (int64_t)1 << 32, &cfg->local_mem_size, err)))
            return st;
    }
    const cJSON *gm = cJSON_GetObjectItemCaseSensitive(chip, "global_memory_config");
    if ((st = want_object(gm, "chip_config.global_memory_config", err)))
        return st;
    if (gm && (st = opt_u64(gm, "memory_size", "chip_config.global_memory_config", 1,
                            (int64_t)1 << 36, &cfg->global_mem_size, err)))
        return st;
    return pim_config_validate(cfg, err);
}

pim_status pim_json_parse_whole(const char *path, const char *text, cJSON **out, pim_error *err)
{
    const char *end = NULL;
    pim_json_limit_begin(pim_max_memory(0) / PIM_JSON_TREE_SHARE);
    cJSON *root = cJSON_ParseWithOpts(text, &end, 1);
    if (pim_json_limit_end() && !root) {
        pim_error_set(err, PIM_E_INPUT, -1, -1, "", "the JSON text's tree needs more than 1/%u "
                      "of the memory budget (--max-memory)", PIM_JSON_TREE_SHARE);
        pim_error_set_file(err, path);
        return PIM_E_INPUT;
    }
    if (!root) {
        pim_json_syntax_error(path, text, end ? end : text, "invalid JSON", err);
        return PIM_E_INPUT;
    }
    char key[160], what[160];
    const char *at = NULL;
    if (pim_json_clean(root, text, end, key, sizeof key, what, sizeof what, &at) != 0) {
        cJSON_Delete(root);
        pim_json_key_error(path, text, at, key, what, err);
        return PIM_E_INPUT;
    }
    *out = root;
    return PIM_OK;
}

/* The line and column of at (NULL: 1, 1) in the text from base. */
static void locate(const char *base, const char *at, long *line, long *col)
{
    *line = 1;
    *col = 1;
    for (const char *p = base; at && p < at && *p; p++) {
        if (*p == '\n') {
            ++*line;
            *col = 1;
        } else {
            ++*col;
        }
    }
}

void pim_json_key_error(const char *path, const char *base, const char *at, const char *key,
                        const char *what, pim_error *err)
{
    long line, col;
    locate(base, at, &line, &col);
    if (at)
        pim_error_set(err, PIM_E_INPUT, -1, -1, key, "line %ld, column %ld: %s", line, col, what);
    else
        pim_error_set(err, PIM_E_INPUT, -1, -1, key, "%s", what);
    pim_error_set_file(err, path);
}

void pim_json_syntax_error(const char *path, const char *base, const char *at, const char *what,
                           pim_error *err)
{
    long line, col;
    locate(base, at, &line, &col);
    pim_error_set(err, PIM_E_INPUT, -1, -1, "", "JSON syntax error at line %ld, column %ld: %s",
                  line, col, what);
    pim_error_set_file(err, path);
}

pim_status pim_load_json_file(const char *path, cJSON **out, pim_error *err)
{
    *out = NULL;
    char *text;
    size_t len;
    pim_status st = pim_read_file(path, &text, &len, err);
    if (st != PIM_OK)
        return st;
    st = pim_text_no_nul(path, text, len, err);
    if (st == PIM_OK)
        st = pim_json_parse_whole(path, text, out, err);
    free(text);
    return st;
}

pim_status pim_load_config_file(const char *path, pim_config *cfg, pim_error *err)
{
    cJSON *root;
    pim_status st = pim_load_json_file(path, &root, err);
    if (st != PIM_OK)
        return st;
    st = pim_config_from_json(root, cfg, NULL, err);
    cJSON_Delete(root);
    if (st != PIM_OK)
        pim_error_set_file(err, path);
    return st;
}
