/*
 * bundle.c - the failure bundle's repro.json (pim_bundle.h): what a failing run was, so that
 * `pimcosim replay` can run it again, and the RTL source hash that says which RTL it was.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "pim_bundle.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pim_json.h"
#include "pim_load.h"
#include "pim_rtl.h"
#include "pim_util.h"

uint64_t pim_rtl_source_hash(const char *root)
{
    uint64_t h = PIM_FNV1A_INIT;
    for (const char *const *f = pim_rtl_model_sources(); *f; f++) {
        char path[1200], buf[8192];
        snprintf(path, sizeof path, "%s/%s", root, *f);
        FILE *in = fopen(path, "rb");
        if (!in)
            continue;
        for (size_t k; (k = fread(buf, 1, sizeof buf, in)) > 0;)
            h = pim_fnv1a(h, buf, k);
        fclose(in);
    }
    return h;
}

/* The machine's knobs, as repro.json records them. */
static void add_config(pim_jb *b, cJSON *root, const pim_config *c)
{
    cJSON *cfg = pim_jb_obj(b, root, "config");
    pim_jb_num(b, cfg, "core_cnt", c->core_cnt);
    cJSON *xs = pim_jb_arr(b, cfg, "xbar_size");
    pim_jb_add(b, xs, NULL, cJSON_CreateNumber(c->xbar_rows));
    pim_jb_add(b, xs, NULL, cJSON_CreateNumber(c->xbar_cols));
    pim_jb_num(b, cfg, "cell_precision", c->cell_precision);
    pim_jb_num(b, cfg, "dac_resolution", c->dac_resolution);
    pim_jb_num(b, cfg, "adc_resolution", c->adc_resolution);
    pim_jb_bool(b, cfg, "adc_clip", c->adc_clip != 0);
    pim_jb_num(b, cfg, "xbar_array_count", c->xbar_array_count);
    pim_jb_num(b, cfg, "vector_width", c->vector_width);
    pim_jb_num(b, cfg, "activation_frac_bits", c->activation_frac_bits);
    pim_jb_num(b, cfg, "local_memory_size", (double)c->local_mem_size);
    pim_jb_num(b, cfg, "global_memory_size", (double)c->global_mem_size);
}

int pim_repro_write(const char *path, const pim_repro *r)
{
    pim_jb b = {0};
    cJSON *root = cJSON_CreateObject();
    char abs[1100], v[256];
    if (!realpath(r->vector, abs))
        snprintf(abs, sizeof abs, "%s", r->vector);
    pim_jb_str(&b, root, "tool", "pimcosim");
    pim_jb_str(&b, root, "kind", "repro");
    /* the vector travels with the bundle: a copy beside repro.json, its config inlined */
    char copy[1200], dir[1100];
    pim_path_dir(path, dir, sizeof dir);
    snprintf(copy, sizeof copy, "%.1100s/vector.json", dir);
    cJSON *vj = NULL;
    pim_error verr;
    int copied = pim_vector_portable(r->vector, &vj, &verr) == PIM_OK &&
                 pim_json_write_file(copy, vj) == 0;
    cJSON_Delete(vj);
    pim_jb_str(&b, root, "vector", copied ? "vector.json" : abs);
    pim_jb_str(&b, root, "vector_source", abs);
    pim_jb_str(&b, root, "id", r->id);
    pim_jb_str(&b, root, "mode", r->golden_only ? "golden" : "lockstep");
    pim_jb_num(&b, root, "verilator_seed", (double)r->seed);
    if (r->fault)
        pim_jb_str(&b, root, "fault", r->fault);
    if (r->gen_seed_known)
        pim_jb_num(&b, root, "generator_seed", (double)r->gen_seed);
    pim_jb_strings(&b, root, "command", r->argv, (size_t)r->argc);
    add_config(&b, root, &r->cfg);
    snprintf(v, sizeof v, "%016llx", (unsigned long long)pim_rtl_source_hash(r->root));
    pim_jb_str(&b, root, "rtl_source_hash", v);
    if (r->rtl && !r->golden_only) {
        /* the driver's stress, its seed for this vector, and the models run (by content) */
        pim_jb_num(&b, root, "stress", r->rtl->stress);
        pim_jb_num(&b, root, "stress_seed", (double)r->rtl->stress_seed);
        snprintf(v, sizeof v, "%016llx",
                 (unsigned long long)pim_rtl_stress_seed(r->rtl->stress_seed, r->id));
        pim_jb_str(&b, root, "vector_stress_seed", v);
        pim_jb_bool(&b, root, "fixed_knobs", r->rtl->fixed_knobs != 0);
        char tile[1024], vu[1024];
        pim_rtl_model_paths(&r->cfg, r->rtl, tile, vu, sizeof tile);
        cJSON *models = pim_jb_obj(&b, root, "models");
        const char *tb = strrchr(tile, '/'), *vb = strrchr(vu, '/');
        pim_jb_str(&b, models, "tile", tb ? tb + 1 : tile);
        pim_jb_str(&b, models, "vu", vb ? vb + 1 : vu);
        cJSON *mh = pim_jb_obj(&b, root, "model_hash");
        snprintf(v, sizeof v, "%016llx", (unsigned long long)r->rtl->id.hash[0]);
        pim_jb_str(&b, mh, "tile", v);
        snprintf(v, sizeof v, "%016llx", (unsigned long long)r->rtl->id.hash[1]);
        pim_jb_str(&b, mh, "vu", v);
    }
    cJSON *tools = pim_jb_obj(&b, root, "tools");
    static const char *const cmds[3][2] = {{"verilator", "verilator --version 2>/dev/null"},
                                           {"cc", "cc --version 2>/dev/null"},
                                           {"c++", "g++ --version 2>/dev/null"}};
    for (int i = 0; i < 3; i++) {
        /* the models' identity already asked the tools the models are built with */
        if (r->rtl && r->rtl->id.known && i != 1)
            snprintf(v, sizeof v, "%s", i == 0 ? r->rtl->id.verilator : r->rtl->id.cxx);
        else
            pim_first_line(cmds[i][1], "unknown", v, sizeof v);
        pim_jb_str(&b, tools, cmds[i][0], v);
    }
    pim_jb_add(&b, root, "divergence", pim_divergence_json(&r->div));
    if (r->context)
        pim_jb_str(&b, root, "context", r->context);
    const int rc = b.oom || !root ? -1 : pim_json_write_file(path, root);
    cJSON_Delete(root);
    return rc;
}
