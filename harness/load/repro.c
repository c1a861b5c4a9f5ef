/*
 * repro.c - reading a failure bundle's repro.json (pim_load.h), as harness/tools/bundle.c
 * writes it. Every member the replay uses is checked for type and range; a member the writer
 * does not write is refused, so a hand-edited bundle never replays with a silent default.
 */
#include "pim_load.h"
#include "load_internal.h"

#include <stdio.h>
#include <string.h>

#include "pim_isa.h"

static pim_status bad(pim_error *err, const char *path, const char *field, const char *msg)
{
    pim_error_set(err, PIM_E_INPUT, -1, -1, field, "%s", msg);
    pim_error_set_file(err, path);
    return PIM_E_INPUT;
}

/* A string member into out (n bytes): required, non-empty, shorter than n. */
static pim_status str_into(const cJSON *v, const char *path, const char *field, char *out,
                           size_t n, pim_error *err)
{
    if (!cJSON_IsString(v) || !v->valuestring[0])
        return bad(err, path, field, "must be a non-empty string");
    if (strlen(v->valuestring) >= n)
        return bad(err, path, field, "is too long");
    snprintf(out, n, "%s", v->valuestring);
    return PIM_OK;
}

/* A PIM_FAULT_* define: the prefix, then capitals, digits and '_'. */
static int fault_name_ok(const char *s)
{
    if (strncmp(s, "PIM_FAULT_", 10) != 0 || !s[10])
        return 0;
    for (s += 10; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

static pim_status read_divergence(const cJSON *d, const char *path, pim_repro_in *out,
                                  pim_error *err)
{
    if (!cJSON_IsObject(d))
        return bad(err, path, "divergence", "must be an object (the failure replayed)");
    static const char *const ints[] = {"core", "index", "element", "expected", "actual", NULL};
    int64_t *dst[] = {&out->div_core, &out->div_index, &out->div_element, &out->div_expected,
                      &out->div_actual};
    pim_status st;
    for (size_t i = 0; ints[i]; i++) {
        char field[40];
        snprintf(field, sizeof field, "divergence.%s", ints[i]);
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(d, ints[i]);
        if (!v)
            return bad(err, path, field, "missing");
        if ((st = pim_json_int(v, field, i < 3 ? -1 : INT64_MIN / 2, INT64_MAX / 2, 0, dst[i],
                               err)) != PIM_OK) {
            pim_error_set_file(err, path);
            return st;
        }
    }
    const cJSON *op = cJSON_GetObjectItemCaseSensitive(d, "op");
    if ((st = str_into(op, path, "divergence.op", out->div_op, sizeof out->div_op, err)))
        return st;
    if (pim_op_from_name(out->div_op) < 0)
        return bad(err, path, "divergence.op", "is not an op of the ISA");
    return PIM_OK;
}

pim_status pim_repro_read(const char *path, pim_repro_in *out, pim_error *err)
{
    memset(out, 0, sizeof *out);
    cJSON *root = NULL;
    pim_status st = pim_load_json_file(path, &root, err);
    if (st != PIM_OK)
        return st;
    /* what bundle.c writes; "vector", "verilator_seed" and "divergence" are required */
    static const char *const known[] = {
        "tool", "kind", "vector", "vector_source", "id", "mode", "verilator_seed", "fault", "generator_seed",
        "command", "rtl_source_hash", "stress", "stress_seed", "vector_stress_seed",
        "fixed_knobs", "models", "model_hash", "tools", "config", "divergence", "context", NULL};
    if (!cJSON_IsObject(root)) {
        st = bad(err, path, "", "a repro bundle is a JSON object");
        goto done;
    }
    for (const cJSON *m = root->child; m; m = m->next) {
        size_t i = 0;
        while (known[i] && strcmp(known[i], m->string) != 0)
            i++;
        if (!known[i]) {
            st = bad(err, path, m->string, "unknown key (not written by pimcosim run)");
            goto done;
        }
    }
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(root, "kind");
    if (kind && !(cJSON_IsString(kind) && strcmp(kind->valuestring, "repro") == 0)) {
        st = bad(err, path, "kind", "must be \"repro\"");
        goto done;
    }
    if ((st = str_into(cJSON_GetObjectItemCaseSensitive(root, "vector"), path, "vector",
                       out->vector, sizeof out->vector, err)))
        goto done;
    int64_t v;
    const cJSON *seed = cJSON_GetObjectItemCaseSensitive(root, "verilator_seed");
    if (!seed) {
        st = bad(err, path, "verilator_seed", "missing");
        goto done;
    }
    if ((st = pim_json_int(seed, "verilator_seed", 0, (int64_t)1 << 53, 0, &v, err)))
        goto set_file;
    out->seed = (uint64_t)v;
    const cJSON *mode = cJSON_GetObjectItemCaseSensitive(root, "mode");
    if (mode && !(cJSON_IsString(mode) && (strcmp(mode->valuestring, "golden") == 0 ||
                                           strcmp(mode->valuestring, "lockstep") == 0))) {
        st = bad(err, path, "mode", "must be \"golden\" or \"lockstep\"");
        goto done;
    }
    out->golden_only = mode && strcmp(mode->valuestring, "golden") == 0;
    const cJSON *fault = cJSON_GetObjectItemCaseSensitive(root, "fault");
    if (fault) {
        if ((st = str_into(fault, path, "fault", out->fault, sizeof out->fault, err)))
            goto done;
        if (!fault_name_ok(out->fault)) {
            st = bad(err, path, "fault", "must be a PIM_FAULT_* define");
            goto done;
        }
    }
    const cJSON *stress = cJSON_GetObjectItemCaseSensitive(root, "stress");
    if (stress) {
        if ((st = pim_json_int(stress, "stress", 0, 2, 0, &v, err)))
            goto set_file;
        out->stress = (unsigned)v;
    }
    const cJSON *sseed = cJSON_GetObjectItemCaseSensitive(root, "stress_seed");
    if (sseed) {
        if ((st = pim_json_int(sseed, "stress_seed", 0, (int64_t)1 << 53, 0, &v, err)))
            goto set_file;
        out->stress_seed = (uint64_t)v;
    }
    const cJSON *fixed = cJSON_GetObjectItemCaseSensitive(root, "fixed_knobs");
    if (fixed && !cJSON_IsBool(fixed)) {
        st = bad(err, path, "fixed_knobs", "must be true or false");
        goto done;
    }
    out->fixed_knobs = cJSON_IsTrue(fixed);
    st = read_divergence(cJSON_GetObjectItemCaseSensitive(root, "divergence"), path, out, err);
    goto done;
set_file:
    pim_error_set_file(err, path);
done:
    cJSON_Delete(root);
    return st;
}
