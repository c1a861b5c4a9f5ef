/*
 * cover_rtl.c - RTL code coverage beside the functional one (pim_cover.h): every vector also
 * runs in lockstep on models built with Verilator --coverage (build/rtl/<unit>-<key>+cov.so);
 * each model writes its data into $PIMCOSIM_COVERAGE_DIR when closed, and verilator_coverage
 * merges and annotates them.
 */
#include "pim_cover.h"

#include <cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pim_json.h"
#include "pim_load.h"
#include "pim_lockstep.h"
#include "pim_util.h"

#define RTL_CACHE_MAX 32

static int ends_with(const char *s, const char *suffix)
{
    const size_t n = strlen(s), k = strlen(suffix);
    return n > k && strcmp(s + n - k, suffix) == 0;
}

/* Runs a command (argv[0] looked up in PATH), its stdout into `out` (NULL: inherited).
 * Returns its exit status, or -1. */
static int run_cmd(char *const argv[], const char *out)
{
    fflush(stdout);
    const pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (out && !freopen(out, "w", stdout))
            _exit(127);
        execvp(argv[0], argv);
        _exit(127);
    }
    int ws;
    while (waitpid(pid, &ws, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
}

/* Per source file and coverage type (line, toggle, branch, ...): points and points hit,
 * from a verilator_coverage data file ("C '<keys>' count", keys \001key\002value). */
typedef struct cov_row {
    char file[128], type[24];
    uint64_t points, hit;
} cov_row;

static int cov_value(const char *rec, const char *key, char *out, size_t n)
{
    char pat[32];
    snprintf(pat, sizeof pat, "\001%s\002", key);
    const char *s = strstr(rec, pat);
    if (!s)
        return -1;
    s += strlen(pat);
    size_t k = 0;
    while (s[k] && s[k] != '\001' && s[k] != '\'' && k + 1 < n) {
        out[k] = s[k];
        k++;
    }
    out[k] = '\0';
    return 0;
}

static int cmp_row(const void *a, const void *b)
{
    const cov_row *x = a, *y = b;
    const int c = strcmp(x->file, y->file);
    return c ? c : strcmp(x->type, y->type);
}

static size_t cov_summary(const char *dat, cov_row *rows, size_t max)
{
    FILE *f = fopen(dat, "r");
    if (!f)
        return 0;
    size_t n = 0;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        if (line[0] != 'C' || line[1] != ' ')
            continue;
        char file[512], page[128];
        if (cov_value(line, "f", file, sizeof file) || cov_value(line, "page", page, sizeof page))
            continue;
        const char *q = strrchr(line, '\'');
        const uint64_t count = q ? strtoull(q + 1, NULL, 10) : 0;
        const char *base = strrchr(file, '/');
        base = base ? base + 1 : file;
        /* page "v_line/pim_xbar_tile": the type is between "v_" and "/" */
        const char *t = strncmp(page, "v_", 2) == 0 ? page + 2 : page;
        char type[24];
        snprintf(type, sizeof type, "%.*s", (int)strcspn(t, "/"), t);
        size_t i = 0;
        while (i < n && !(strcmp(rows[i].file, base) == 0 && strcmp(rows[i].type, type) == 0))
            i++;
        if (i == n) {
            if (n == max)
                continue;
            memset(&rows[n], 0, sizeof rows[n]);
            snprintf(rows[n].file, sizeof rows[n].file, "%.120s", base);
            snprintf(rows[n].type, sizeof rows[n].type, "%s", type);
            n++;
        }
        rows[i].points++;
        rows[i].hit += count > 0;
    }
    free(line);
    fclose(f);
    qsort(rows, n, sizeof *rows, cmp_row);
    return n;
}

/* The counts of the lockstep runs on the coverage models. */
typedef struct rtl_runs {
    uint64_t runs, insns, cycles, diverged;
} rtl_runs;

/* Removes the *.dat files in dir (an earlier run's data). */
static void clear_data(const char *dir)
{
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));)
        if (ends_with(e->d_name, ".dat")) {
            char f[1400];
            snprintf(f, sizeof f, "%s/%s", dir, e->d_name);
            unlink(f);
        }
    if (d)
        closedir(d);
}

/* Every vector in lockstep on the coverage models, which write their data into raw when they
 * close. Returns the exit code so far (0, 1 a divergence, 2 trouble). */
static int run_models(const pim_paths *paths, const char *raw, int build, rtl_runs *n)
{
    if (setenv("PIMCOSIM_COVERAGE_DIR", raw, 1) != 0)
        return PIM_EXIT_BAD_INPUT;
    char root[1024];
    pim_rtl_opts ro;
    pim_project_root(root, sizeof root);
    pim_rtl_opts_default(&ro, root);
    ro.build = build;
    ro.coverage = 1;
    /* every parameter set stays open to the end: each writes its coverage when closed */
    pim_rtl_set *rs = pim_rtl_set_new(&ro, RTL_CACHE_MAX);
    if (!rs)
        return PIM_EXIT_BAD_INPUT;
    int rc = PIM_EXIT_PASS;
    for (size_t i = 0; i < paths->n && rc != PIM_EXIT_BAD_INPUT; i++) {
        pim_program *p = NULL;
        pim_golden *g = NULL;
        pim_error err;
        pim_error_clear(&err);
        char msg[PIM_ERROR_MSG_MAX * 2];
        pim_status st = pim_load_vector_file(paths->v[i], &p, &err);
        pim_rtl *rtl;
        if (st != PIM_OK || p->refused) {
            /* refused vectors run nothing on the RTL */
        } else if (pim_rtl_set_get(rs, &p->cfg, &rtl, &err) != PIM_OK) {
            fprintf(stderr, "pimcosim cover: %s\n", pim_error_format(&err, msg, sizeof msg));
            rc = PIM_EXIT_BAD_INPUT;
        } else {
            pim_lockstep_report rep;
            memset(&rep, 0, sizeof rep);
            st = pim_lockstep_run(p, rtl, 0, &rep, &g, &err);
            n->runs++;
            n->insns += rep.insns;
            n->cycles += rep.tile_cycles + rep.vu_cycles;
            if (st == PIM_E_MISMATCH) {
                n->diverged++;
                rc = PIM_EXIT_MISMATCH;
                fprintf(stderr, "pimcosim cover: %s diverged on the coverage models: %s\n",
                        p->id, pim_error_format(&err, msg, sizeof msg));
            }
        }
        pim_golden_free(g);
        pim_program_free(p);
    }
    pim_rtl_set_free(rs); /* each model writes its coverage file now */
    unsetenv("PIMCOSIM_COVERAGE_DIR");
    return rc;
}

/* verilator_coverage --write merged RAW/<each>.dat, then --annotate; *nfiles the data files.
 * Returns 0, or -1 after a message. */
static int merge_data(const char *raw, const char *merged, const char *annotated,
                      const char *log, size_t *nfiles)
{
    pim_paths args = {0}, files = {0};
    pim_paths_push(&args, "verilator_coverage");
    pim_paths_push(&args, "--write");
    pim_paths_push(&args, merged);
    DIR *d = opendir(raw);
    for (struct dirent *e; d && (e = readdir(d));)
        if (ends_with(e->d_name, ".dat")) {
            char f[1400];
            snprintf(f, sizeof f, "%s/%s", raw, e->d_name);
            pim_paths_push(&files, f);
        }
    if (d)
        closedir(d);
    pim_paths_sort(&files);
    for (size_t i = 0; i < files.n; i++)
        pim_paths_push(&args, files.v[i]);
    *nfiles = files.n;
    pim_paths_free(&files);
    char **argvv = *nfiles ? malloc((args.n + 1) * sizeof *argvv) : NULL;
    if (!argvv) {
        fprintf(stderr, "pimcosim cover: no RTL coverage data was written into %s\n", raw);
        pim_paths_free(&args);
        return -1;
    }
    memcpy(argvv, args.v, args.n * sizeof *argvv);
    argvv[args.n] = NULL;
    int x = run_cmd(argvv, "/dev/null");
    free(argvv);
    pim_paths_free(&args);
    if (x == 0) {
        char *ann[] = {"verilator_coverage", "--annotate", (char *)annotated, (char *)merged, NULL};
        x = run_cmd(ann, log);
    }
    if (x != 0) {
        fprintf(stderr, "pimcosim cover: verilator_coverage failed (exit %d)\n", x);
        return -1;
    }
    return 0;
}

/* The "Total coverage" line of verilator_coverage's log into total (n bytes), "" if none. */
static void total_line(const char *log, char *total, size_t n)
{
    total[0] = '\0';
    FILE *lf = fopen(log, "r");
    if (!lf)
        return;
    char line[512];
    while (fgets(line, sizeof line, lf))
        if (strstr(line, "Total coverage")) {
            line[strcspn(line, "\n")] = '\0';
            snprintf(total, n, "%.200s", line);
        }
    fclose(lf);
}

int pim_cover_rtl(const pim_paths *paths, const char *dir, int build, struct cJSON **json)
{
    char raw[1100], merged[1100], annotated[1100], log[1200], total[256];
    snprintf(raw, sizeof raw, "%s/raw", dir);
    snprintf(merged, sizeof merged, "%s/merged.dat", dir);
    snprintf(annotated, sizeof annotated, "%s/annotated", dir);
    snprintf(log, sizeof log, "%s/annotate.log", dir);
    if (pim_mkdirs(raw) != 0) {
        fprintf(stderr, "pimcosim cover: cannot create %s: %s\n", raw, strerror(errno));
        return PIM_EXIT_BAD_INPUT;
    }
    clear_data(raw); /* this run's data only */
    rtl_runs n = {0, 0, 0, 0};
    size_t nfiles = 0;
    const int rc = run_models(paths, raw, build, &n);
    if (rc == PIM_EXIT_BAD_INPUT || merge_data(raw, merged, annotated, log, &nfiles) != 0)
        return PIM_EXIT_BAD_INPUT;
    total_line(log, total, sizeof total);
    cov_row rows[64];
    const size_t nr = cov_summary(merged, rows, 64);
    printf("\nRTL code coverage (%" PRIu64 " vectors in lockstep on the coverage models, %" PRIu64
           " instructions, %" PRIu64 " RTL cycles, %zu data files (one per model), %" PRIu64
           " diverged):\n", n.runs, n.insns, n.cycles, nfiles, n.diverged);
    printf("  %-22s %-8s %8s %8s %7s\n", "file", "type", "points", "hit", "%");
    pim_jb b = {0};
    cJSON *j = cJSON_CreateObject();
    pim_jb_num(&b, j, "vectors", (double)n.runs);
    pim_jb_num(&b, j, "diverged", (double)n.diverged);
    pim_jb_str(&b, j, "merged", merged);
    pim_jb_str(&b, j, "annotated", annotated);
    pim_jb_str(&b, j, "total", total);
    cJSON *units = pim_jb_arr(&b, j, "units");
    for (size_t i = 0; i < nr; i++) {
        const double pct = rows[i].points ? 100.0 * (double)rows[i].hit / (double)rows[i].points : 0;
        printf("  %-22s %-8s %8" PRIu64 " %8" PRIu64 " %6.1f%%\n", rows[i].file, rows[i].type,
               rows[i].points, rows[i].hit, pct);
        cJSON *o = cJSON_CreateObject();
        pim_jb_str(&b, o, "file", rows[i].file);
        pim_jb_str(&b, o, "type", rows[i].type);
        pim_jb_num(&b, o, "points", (double)rows[i].points);
        pim_jb_num(&b, o, "hit", (double)rows[i].hit);
        pim_jb_add(&b, units, NULL, o);
    }
    printf("  verilator_coverage: %s\n  merged: %s, annotated sources: %s/\n",
           total[0] ? total : "(no total)", merged, annotated);
    *json = j;
    return rc;
}
