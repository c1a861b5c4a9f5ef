/*
 * model.c - the RTL model files (pim_rtl.h): named by their parameters and by the content of
 * everything they are built from, built in parallel by shim/build_model.sh with a manifest
 * beside each, and, when one is missing, what changed since the newest one of the same
 * parameters was built.
 *
 * A model's name carries the hash of its unit's sources and of the tools, so a model built
 * from other sources has another name: a stale model is never used, and a cache of build/rtl
 * restored into a fresh clone (whose files all have new dates) is used as it is.
 */
#include "pim_rtl.h"

#include <cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pim_json.h"
#include "pim_util.h"

#define SHIM "harness/cosim/shim/"

/* The sources of each unit, then the ones both share. */
static const char *const k_tile_sources[] = {
    "rtl/pim_xbar_tile.sv", SHIM "tile_shim.cpp", "rtl/pim_pkg.sv", "rtl/pim_assert.svh",
    "rtl/lint.vlt", SHIM "model_port.h", SHIM "pim_model.h", SHIM "vl_print.h", SHIM "build_model.sh",
    "include/pim_isa.h", "include/pim_status.h", NULL};
static const char *const k_vu_sources[] = {
    "rtl/pim_vector_unit.sv", SHIM "vu_shim.cpp", "rtl/pim_pkg.sv", "rtl/pim_assert.svh",
    "rtl/lint.vlt", SHIM "model_port.h", SHIM "pim_model.h", SHIM "vl_print.h", SHIM "build_model.sh",
    "include/pim_isa.h", "include/pim_status.h", NULL};
static const char *const k_all_sources[] = {
    "rtl/pim_pkg.sv", "rtl/pim_assert.svh", "rtl/pim_xbar_tile.sv", "rtl/pim_vector_unit.sv",
    "rtl/lint.vlt", SHIM "tile_shim.cpp", SHIM "vu_shim.cpp", SHIM "model_port.h",
    SHIM "pim_model.h", SHIM "vl_print.h", SHIM "build_model.sh", "include/pim_isa.h", "include/pim_status.h",
    NULL};
static const char *const k_units[2] = {"tile", "vu"};

const char *const *pim_rtl_unit_sources(int unit) { return unit ? k_vu_sources : k_tile_sources; }
const char *const *pim_rtl_model_sources(void) { return k_all_sources; }

static const char *or_default(const char *s, const char *d) { return s ? s : d; }
static const char *src_root(const pim_rtl_opts *o) { return or_default(o->src_root, or_default(o->root, ".")); }

/* FNV-1a of a file's bytes continuing from h; *found 0 when it cannot be read. */
static uint64_t hash_file(uint64_t h, const char *root, const char *rel, int *found)
{
    char path[1200], buf[16384];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    FILE *f = fopen(path, "rb");
    *found = f != NULL;
    if (!f)
        return h;
    for (size_t k; (k = fread(buf, 1, sizeof buf, f)) > 0;)
        h = pim_fnv1a(h, buf, k);
    fclose(f);
    return h;
}

void pim_rtl_identify(pim_rtl_opts *o)
{
    pim_model_id *id = &o->id;
    /* the tools build_model.sh runs (it honours $VERILATOR and $CXX) */
    pim_first_line("\"${VERILATOR:-verilator}\" --version 2>/dev/null", "", id->verilator,
                   sizeof id->verilator);
    pim_first_line("\"${CXX:-g++}\" --version 2>/dev/null", "", id->cxx, sizeof id->cxx);
    for (int u = 0; u < 2; u++) {
        uint64_t h = pim_fnv1a_str("pimcosim model 1");
        h = pim_fnv1a(h, k_units[u], strlen(k_units[u]) + 1);
        for (const char *const *f = pim_rtl_unit_sources(u); *f; f++) {
            int found;
            h = pim_fnv1a(h, *f, strlen(*f) + 1);
            h = hash_file(h, src_root(o), *f, &found);
            h = pim_fnv1a(h, found ? "+" : "-", 1); /* a missing file is a state of its own */
        }
        const unsigned opt = o->model_opt > 0 && o->model_opt < 2 ? (unsigned)o->model_opt : 2u;
        char flags[32];
        snprintf(flags, sizeof flags, "-O%u", opt); /* the model code's optimization */
        h = pim_fnv1a(h, flags, strlen(flags) + 1);
        h = pim_fnv1a(h, id->verilator, strlen(id->verilator) + 1);
        id->hash[u] = pim_fnv1a(h, id->cxx, strlen(id->cxx) + 1);
    }
    id->known = 1;
}

void pim_rtl_opts_default(pim_rtl_opts *o, const char *root)
{
    memset(o, 0, sizeof *o);
    o->root = root;
    o->seed = 1;
    o->build = 1;
    pim_rtl_identify(o);
}

void pim_rtl_model_paths(const pim_config *cfg, const pim_rtl_opts *o, char *tile, char *vu,
                         size_t n)
{
    pim_rtl_opts local;
    if (!o->id.known) { /* a caller that did not use pim_rtl_opts_default */
        local = *o;
        pim_rtl_identify(&local);
        o = &local;
    }
    char dir[512];
    if (o->model_dir)
        snprintf(dir, sizeof dir, "%s", o->model_dir);
    else
        snprintf(dir, sizeof dir, "%s/build/rtl", or_default(o->root, "."));
    /* a fault goes into the unit whose RTL has it: PIM_FAULT_ADC_* / PIM_FAULT_TILE_* in the
     * tile, the others (PIM_FAULT_VVSRA_ROUND, ...) in the vector unit */
    const int tile_fault = o->fault && (strstr(o->fault, "_ADC_") || strstr(o->fault, "_TILE_"));
    const char *tf = tile_fault ? o->fault : "", *vf = (o->fault && !tile_fault) ? o->fault : "";
    const char *cov = o->coverage ? "+cov" : ""; /* build_model.sh: --coverage */
    /* the knobs' bounds: 8 covers every shared config; a wider knob takes a 16-bit bound */
    const unsigned maxp = cfg->cell_precision > 8 ? 16 : 8, maxd = cfg->dac_resolution > 8 ? 16 : 8;
    char fixed[64] = "", ffix[16] = "";
    if (o->fixed_knobs) {
        snprintf(fixed, sizeof fixed, "-p%u-d%u-a%u-k%u", cfg->cell_precision,
                 cfg->dac_resolution, cfg->adc_resolution, cfg->adc_clip);
        snprintf(ffix, sizeof ffix, "-f%u", cfg->activation_frac_bits);
    }
    /* a weight store other than the default: its sizes in the key (build_model.sh -g -q) */
    char store[64] = "";
    const uint64_t sc = o->store_columns ? o->store_columns : PIM_RTL_STORE_COLUMNS;
    const uint64_t sp = o->store_planes ? o->store_planes : PIM_RTL_STORE_PLANES;
    if (sc != PIM_RTL_STORE_COLUMNS || sp != PIM_RTL_STORE_PLANES)
        snprintf(store, sizeof store, "-g%llu-q%llu", (unsigned long long)sc,
                 (unsigned long long)sp);
    snprintf(tile, n, "%s/tile-r%u-c%u-P%u-D%u%s-i32-m32-o32%s-h%016llx%s%s%s.so", dir,
             cfg->xbar_rows, o->tile_cols ? o->tile_cols : 128u, maxp, maxd, fixed, store,
             (unsigned long long)o->id.hash[0], *tf ? "+" : "", tf, cov);
    snprintf(vu, n, "%s/vu-l%u%s-h%016llx%s%s%s.so", dir, cfg->vector_width, ffix,
             (unsigned long long)o->id.hash[1], *vf ? "+" : "", vf, cov);
}

static uint64_t pow2_at_least(uint64_t v, uint64_t floor)
{
    uint64_t r = floor;
    while (r < v)
        r <<= 1;
    return r;
}

void pim_rtl_size_store(pim_rtl_opts *o, const pim_program *p)
{
    uint64_t cols = 0, planes = 0;
    for (size_t k = 0; k < p->n_groups; k++) {
        cols += p->groups[k].cols;
        planes += (uint64_t)p->groups[k].cols * p->groups[k].mbiw;
    }
    o->store_columns = pow2_at_least(cols, PIM_RTL_STORE_COLUMNS);
    o->store_planes = pow2_at_least(planes, PIM_RTL_STORE_PLANES);
}

/* ------------------------------------------------------------------ names */

/* The parts of a model file name ".../<unit>-<params>-h<hash><suffix>.so": the unit index
 * (-1 for none), the directory, "<unit>-<params>-h" (the prefix every build of these
 * parameters shares) and the suffix ("[+FAULT][+cov].so"). */
typedef struct name_parts {
    int unit;
    char dir[600], prefix[300], suffix[120];
} name_parts;

static int split_name(const char *path, name_parts *np)
{
    const char *base = strrchr(path, '/');
    snprintf(np->dir, sizeof np->dir, "%.*s", base ? (int)(base - path) : 1, base ? path : ".");
    base = base ? base + 1 : path;
    const char *h = strstr(base, "-h");
    const char *plus = h ? strchr(h, '+') : NULL, *dot = h ? strstr(h, ".so") : NULL;
    np->unit = strncmp(base, "tile-", 5) == 0 ? 0 : strncmp(base, "vu-", 3) == 0 ? 1 : -1;
    if (!h || !dot || np->unit < 0)
        return -1;
    snprintf(np->prefix, sizeof np->prefix, "%.*s", (int)(h - base + 2), base);
    snprintf(np->suffix, sizeof np->suffix, "%s", plus && plus < dot ? plus : dot);
    return 0;
}

/* The manifest of a model: its path with ".so" replaced by ".json". */
static void manifest_path(const char *so, char *out, size_t n)
{
    const size_t l = strlen(so);
    snprintf(out, n, "%.*s.json", (int)(l > 3 ? l - 3 : l), so);
}

static void write_manifest(const pim_rtl_opts *o, const char *so)
{
    name_parts np;
    if (split_name(so, &np) != 0)
        return;
    pim_jb b = {0};
    cJSON *root = cJSON_CreateObject();
    const char *base = strrchr(so, '/');
    pim_jb_str(&b, root, "model", base ? base + 1 : so);
    pim_jb_str(&b, root, "unit", k_units[np.unit]);
    char h[24];
    snprintf(h, sizeof h, "%016llx", (unsigned long long)o->id.hash[np.unit]);
    pim_jb_str(&b, root, "hash", h);
    cJSON *src = pim_jb_obj(&b, root, "sources");
    for (const char *const *f = pim_rtl_unit_sources(np.unit); *f; f++) {
        int found;
        const uint64_t fh = hash_file(PIM_FNV1A_INIT, src_root(o), *f, &found);
        snprintf(h, sizeof h, "%016llx", (unsigned long long)fh);
        pim_jb_str(&b, src, *f, found ? h : "missing");
    }
    pim_jb_str(&b, root, "verilator", o->id.verilator);
    pim_jb_str(&b, root, "cxx", o->id.cxx);
    char mp[1200];
    manifest_path(so, mp, sizeof mp);
    if (!b.oom)
        pim_json_write_file(mp, root);
    cJSON_Delete(root);
}

/* ------------------------------------------------------------------ building */

/* Starts one build; its pid, or -1. */
static pid_t start_build(const pim_rtl_opts *o, const char *path)
{
    name_parts np;
    if (split_name(path, &np) != 0)
        return -1;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char key[512], script[1100];
    /* the key build_model.sh reads: the file name without "<unit>-" and ".so" */
    snprintf(key, sizeof key, "%.*s", (int)(strlen(base) - strlen(k_units[np.unit]) - 4),
             base + strlen(k_units[np.unit]) + 1);
    snprintf(script, sizeof script, "%s/" SHIM "build_model.sh", src_root(o));
    if (!o->quiet)
        fprintf(stderr, "pimcosim: building RTL model %s\n", path);
    fflush(stdout);
    fflush(stderr);
    const pid_t pid = fork();
    if (pid == 0) {
        pim_mkdirs(np.dir);
        if (o->quiet && !freopen("/dev/null", "w", stdout))
            _exit(127);
        if (!o->quiet)
            dup2(STDERR_FILENO, STDOUT_FILENO); /* the build's words go to stderr */
        char opt[4];
        snprintf(opt, sizeof opt, "%d", o->model_opt > 0 && o->model_opt < 2 ? o->model_opt : 2);
        setenv("PIM_MODEL_OPT", opt, 1);
        execl("/bin/bash", "bash", script, k_units[np.unit], key, path, src_root(o), (char *)NULL);
        _exit(127);
    }
    return pid;
}

int pim_rtl_build_models(const pim_rtl_opts *o, char *const *paths, size_t n, int jobs)
{
    pim_rtl_opts local = *o;
    if (!local.id.known)
        pim_rtl_identify(&local);
    int rc = 0;
    size_t next = 0, running = 0;
    pid_t pids[64];
    const char *what[64];
    if (jobs < 1)
        jobs = 1;
    if (jobs > 64)
        jobs = 64;
    while ((next < n || running) && rc == 0) {
        while (next < n && running < (size_t)jobs) {
            struct stat sb;
            const char *path = paths[next++];
            if (stat(path, &sb) == 0)
                continue;
            const pid_t pid = start_build(&local, path);
            if (pid < 0) {
                rc = -1;
                break;
            }
            pids[running] = pid;
            what[running++] = path;
        }
        int status;
        const pid_t done = running ? wait(&status) : -1;
        for (size_t i = 0; i < running && done > 0; i++) {
            if (pids[i] != done)
                continue;
            if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
                write_manifest(&local, what[i]);
            else
                rc = -1;
            pids[i] = pids[running - 1];
            what[i] = what[running - 1];
            running--;
            break;
        }
    }
    while (running && wait(NULL) > 0)
        running--;
    return rc;
}

/* ------------------------------------------------------------------ what changed */

/* The newest built model of the parameters of np (the same prefix and suffix), into out. */
static int newest_sibling(const name_parts *np, char *out, size_t n)
{
    DIR *d = opendir(np->dir);
    if (!d)
        return -1;
    time_t best = 0;
    int found = -1;
    for (struct dirent *e; (e = readdir(d));) {
        const size_t l = strlen(e->d_name), ls = strlen(np->suffix);
        if (strncmp(e->d_name, np->prefix, strlen(np->prefix)) != 0 || l < ls ||
            strcmp(e->d_name + l - ls, np->suffix) != 0 ||
            strchr(e->d_name + strlen(np->prefix), '+') != strchr(e->d_name + l - ls, '+'))
            continue;
        char p[1200];
        struct stat sb;
        snprintf(p, sizeof p, "%s/%s", np->dir, e->d_name);
        if (stat(p, &sb) == 0 && (found < 0 || sb.st_mtime >= best)) {
            best = sb.st_mtime;
            snprintf(out, n, "%s", p);
            found = 0;
        }
    }
    closedir(d);
    return found;
}

/* A whole small file, or NULL (caller frees). */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *s = malloc(65537);
    const size_t k = s ? fread(s, 1, 65536, f) : 0;
    fclose(f);
    if (s)
        s[k] = '\0';
    return s;
}

char *pim_rtl_model_missing(const pim_rtl_opts *o, const char *path, char *msg, size_t n)
{
    pim_rtl_opts local = *o;
    if (!local.id.known)
        pim_rtl_identify(&local);
    name_parts np;
    char other[1200], mp[1200];
    if (split_name(path, &np) != 0 || newest_sibling(&np, other, sizeof other) != 0) {
        snprintf(msg, n, "no model of these parameters is built");
        return msg;
    }
    manifest_path(other, mp, sizeof mp);
    char *text = slurp(mp);
    cJSON *m = text ? cJSON_Parse(text) : NULL;
    free(text);
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(m, "sources");
    size_t k = (size_t)snprintf(msg, n, "%s was built from other sources:", other);
    int changes = 0;
    for (const char *const *f = pim_rtl_unit_sources(np.unit); *f && k < n; f++) {
        int found;
        char h[24];
        snprintf(h, sizeof h, "%016llx",
                 (unsigned long long)hash_file(PIM_FNV1A_INIT, src_root(&local), *f, &found));
        const cJSON *was = cJSON_GetObjectItemCaseSensitive(src, *f);
        if (!cJSON_IsString(was) || strcmp(was->valuestring, found ? h : "missing") != 0) {
            k += (size_t)snprintf(msg + k, n - k, "%s %s changed", changes ? "," : "", *f);
            changes++;
        }
    }
    static const char *const tools[2] = {"verilator", "cxx"};
    const char *now[2] = {local.id.verilator, local.id.cxx};
    for (int t = 0; t < 2 && k < n && m; t++) {
        const cJSON *was = cJSON_GetObjectItemCaseSensitive(m, tools[t]);
        if (!cJSON_IsString(was) || strcmp(was->valuestring, now[t]) != 0) {
            k += (size_t)snprintf(msg + k, n - k, "%s %s changed", changes ? "," : "", tools[t]);
            changes++;
        }
    }
    if (!m)
        snprintf(msg + k, n > k ? n - k : 0, " its manifest cannot be read");
    else if (!changes && k < n)
        snprintf(msg + k, n - k, " (the same files: built elsewhere?)");
    cJSON_Delete(m);
    return msg;
}
