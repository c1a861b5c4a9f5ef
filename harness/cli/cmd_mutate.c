/*
 * cmd_mutate.c - `pimcosim mutate [options] SUITE...`: mutation testing of the RTL, in the
 * manner of YosysHQ MCY. Each mutant (generated from rtl/ *.sv by harness/tools/mutate.c, or
 * a team's own unified diff from --patches DIR) is applied to a copy of the model sources,
 * built fast (the C++ of the model at -O1, Verilator's runtime objects shared), and run on
 * the suite in lockstep with the driver's stress until a vector fails: the mutant is killed,
 * or it survives every vector. A survivor is a hole in the suite unless rtl/mutants.equiv
 * says why it is equivalent.
 *
 * Layout under --out (default build/mutate): models/ (the unmutated units' models, built once
 * and linked into each mutant's), m<N>/ (a mutant's sources and models, removed when it is
 * done unless --keep).
 */
#define _XOPEN_SOURCE 700 /* realpath, symlink */
#define _DEFAULT_SOURCE    /* usleep */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <dirent.h>

#include <cJSON.h>

#include "pim_cli.h"
#include "pim_json.h"
#include "pim_load.h"
#include "pim_lockstep.h"
#include "pim_mutate.h"
#include "pim_opt.h"
#include "pim_rtl.h"
#include "pim_util.h"

typedef enum verdict { M_PENDING = 0, M_KILLED, M_SURVIVED, M_UNBUILDABLE, M_STALE, M_NOOP } verdict;
static const char *const k_verdicts[] = {"pending", "killed", "survived", "unbuildable",
                                         "stale", "no-op"};

/* One mutant to run: generated (m) or a patch file. */
typedef struct job {
    pim_mutant m;          /* generated; for a patch: key = the patch's name, file = "" */
    char patch[1024];      /* "" for a generated mutant */
    verdict v;
    char killer[256];      /* the vector that killed it */
    char msg[600];         /* its divergence, or why it did not build / apply */
    const char *equiv;     /* the reason rtl/mutants.equiv gives, or NULL */
    double secs;
} job;

typedef struct args {
    uint64_t seed, sample, jobs, stress, timeout;
    const char *patches, *json, *out, *equiv_file;
    int list, keep, only_patches;
    pim_paths suite, only; /* only: --mutant KEY, the generated mutants to run */
    char root[1024];
} args;

/* ------------------------------------------------------------------ the suite */

typedef struct suite {
    pim_program **p;
    size_t n;
} suite;

/* Loads the suite's vectors (those refused at load are left out: they test the loader),
 * the most common tile size first, so that a mutant usually needs one model to be killed. */
static int load_suite(const pim_paths *paths, suite *s)
{
    s->p = calloc(paths->n ? paths->n : 1, sizeof *s->p);
    if (!s->p)
        return -1;
    pim_config arch;
    pim_config_default(&arch);
    for (size_t i = 0; i < paths->n; i++) {
        pim_error err;
        if (pim_load_vector_file(paths->v[i], &s->p[s->n], &err) == PIM_OK) {
            s->n++;
            continue;
        }
        /* a stream (tests/data/mutate: the pimcomp forms no vector has) on the default
         * architecture, in either dialect */
        pim_load_opts lo = {PIM_DIALECT_STRICT, 1, 1, "", 0, NULL};
        if (pim_load_stream_file_opts(paths->v[i], &arch, &lo, &s->p[s->n], &err) == PIM_OK) {
            char *id = pim_strdup(paths->v[i]);
            if (!id)
                return -1;
            free(s->p[s->n]->id);
            s->p[s->n]->id = id;
            s->n++;
        }
    }
    for (size_t i = 1; i < s->n; i++) { /* stable: the reference rows (128) first */
        pim_program *x = s->p[i];
        size_t j = i;
        const int rank = x->cfg.xbar_rows == 128 ? 0 : 1;
        while (j > 0 && (s->p[j - 1]->cfg.xbar_rows == 128 ? 0 : 1) > rank) {
            s->p[j] = s->p[j - 1];
            j--;
        }
        s->p[j] = x;
    }
    return 0;
}

static void free_suite(suite *s)
{
    for (size_t i = 0; i < s->n; i++)
        pim_program_free(s->p[i]);
    free(s->p);
}

/* Runs the suite on units opened with *o until a vector diverges. 0 every vector passed;
 * 1 killed (killer and message filled); 3 a model did not build. */
static int run_suite(const suite *s, const pim_rtl_opts *o, char *killer, size_t kn, char *msg,
                     size_t mn)
{
    pim_rtl_set *rs = pim_rtl_set_new(o, 1);
    int rc = 0;
    for (size_t i = 0; rs && i < s->n && rc == 0; i++) {
        pim_rtl *rtl;
        pim_error err;
        pim_error_clear(&err);
        if (pim_rtl_set_get(rs, &s->p[i]->cfg, &rtl, &err) != PIM_OK) {
            snprintf(msg, mn, "%s", err.msg);
            rc = 3;
            break;
        }
        pim_lockstep_report rep;
        pim_golden *g = NULL;
        if (pim_lockstep_run(s->p[i], rtl, 0, &rep, &g, &err) == PIM_E_MISMATCH) {
            snprintf(killer, kn, "%s", s->p[i]->id);
            if (rep.diverged && rep.div.kind != PIM_DIV_PROTOCOL)
                pim_divergence_format(&rep.div, msg, mn);
            else
                snprintf(msg, mn, "%s", err.msg);
            rc = 1;
        }
        pim_golden_free(g);
    }
    pim_rtl_set_free(rs);
    return rs ? rc : 3;
}

/* ------------------------------------------------------------------ a mutant's tree */

static int run_cmd(const char *cmd) { return system(cmd) == 0 ? 0 : -1; }

/* dir/src: the model sources of root; dir/models: links to base's models and runtimes. */
static int make_tree(const char *root, const char *base, const char *dir)
{
    char path[1400];
    for (const char *const *f = pim_rtl_model_sources(); *f; f++) {
        char from[1400], cmd[3000];
        snprintf(from, sizeof from, "%s/%s", root, *f);
        snprintf(path, sizeof path, "%s/src/%s", dir, *f);
        char *slash = strrchr(path, '/');
        *slash = '\0';
        if (pim_mkdirs(path) != 0)
            return -1;
        *slash = '/';
        snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, path);
        if (strchr(from, '\'') || strchr(path, '\'') || run_cmd(cmd) != 0)
            return -1;
    }
    snprintf(path, sizeof path, "%s/models", dir);
    if (pim_mkdirs(path) != 0)
        return -1;
    DIR *d = opendir(base);
    if (!d)
        return 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.' || strstr(e->d_name, ".tmp"))
            continue;
        char from[1400], to[1400];
        snprintf(from, sizeof from, "%.1100s/%.250s", base, e->d_name);
        snprintf(to, sizeof to, "%.1100s/models/%.250s", dir, e->d_name);
        if (symlink(from, to) != 0 && errno != EEXIST) {
            closedir(d);
            return -1;
        }
    }
    closedir(d);
    return 0;
}

/* The RTL options of a run on the sources under src with models in models. */
static void mutant_opts(const args *a, const char *src, const char *models, pim_rtl_opts *o)
{
    pim_rtl_opts_default(o, a->root);
    o->src_root = src;
    o->model_dir = models;
    o->model_opt = 1; /* a mutant's model is built once and run briefly */
    o->quiet = 1;
    o->stress = (unsigned)a->stress;
    pim_rtl_identify(o);
}

/* The child of one mutant: writes its verdict into dir/result and exits. */
static void child(const args *a, const suite *s, const job *j, const char *dir, const char *base,
                  const pim_model_id *base_id)
{
    char src[1300], models[1300], res[1300], killer[256] = "", msg[600] = "";
    snprintf(src, sizeof src, "%s/src", dir);
    snprintf(models, sizeof models, "%s/models", dir);
    snprintf(res, sizeof res, "%s/result", dir);
    verdict v = M_SURVIVED;
    if (make_tree(a->root, base, dir) != 0) {
        v = M_UNBUILDABLE;
        snprintf(msg, sizeof msg, "cannot copy the sources into %.500s", dir);
    } else if (j->patch[0]) {
        char cmd[3000];
        /* the copy lies inside the project's own checkout (build/): with the ceiling, git
         * applies the patch to the copy as a plain tree, not to paths of the enclosing
         * repository (which it would skip as outside the directory) */
        snprintf(cmd, sizeof cmd,
                 "cd '%.1200s' && export GIT_CEILING_DIRECTORIES=\"$(dirname \"$PWD\")\" && "
                 "git apply --check '%.700s' >/dev/null 2>&1 && git apply '%.700s'",
                 src, j->patch, j->patch);
        if (run_cmd(cmd) != 0) {
            v = M_STALE;
            snprintf(msg, sizeof msg, "the patch does not apply to the tree");
        }
    } else if (pim_mutant_apply(&j->m, src) != 0) {
        v = M_STALE;
        snprintf(msg, sizeof msg, "%s no longer reads as when the mutant was made", j->m.file);
    }
    if (v == M_SURVIVED) {
        pim_rtl_opts o;
        mutant_opts(a, src, models, &o);
        if (o.id.hash[0] == base_id->hash[0] && o.id.hash[1] == base_id->hash[1]) {
            v = M_NOOP;
            snprintf(msg, sizeof msg, "no model source changed");
        } else {
            const int rc = run_suite(s, &o, killer, sizeof killer, msg, sizeof msg);
            v = rc == 1 ? M_KILLED : rc == 3 ? M_UNBUILDABLE : M_SURVIVED;
        }
    }
    FILE *f = fopen(res, "w");
    if (f) {
        fprintf(f, "%d\n%s\n%s\n", (int)v, killer, msg);
        fclose(f);
    }
    fflush(stdout);
    _exit(0);
}

/* ------------------------------------------------------------------ running them */

static void read_result(job *j, const char *dir, int status)
{
    char path[1300], line[800];
    snprintf(path, sizeof path, "%s/result", dir);
    FILE *f = fopen(path, "r");
    if (!f) { /* the child died: a crash or a hang counts as caught */
        j->v = M_KILLED;
        snprintf(j->killer, sizeof j->killer, "(the run)");
        if (WIFSIGNALED(status))
            snprintf(j->msg, sizeof j->msg, "the run ended on signal %d (%s)", WTERMSIG(status),
                     WTERMSIG(status) == SIGKILL ? "timeout" : "crash");
        else
            snprintf(j->msg, sizeof j->msg, "the run ended with status %d", WEXITSTATUS(status));
        return;
    }
    int v = 0;
    if (fgets(line, sizeof line, f))
        v = atoi(line);
    j->v = v > 0 && v <= M_NOOP ? (verdict)v : M_KILLED;
    if (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        snprintf(j->killer, sizeof j->killer, "%.250s", line);
    }
    if (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        snprintf(j->msg, sizeof j->msg, "%.590s", line);
    }
    fclose(f);
}

static void say(const job *j, size_t i, size_t n)
{
    const char *what = j->v == M_SURVIVED && j->equiv ? "equivalent" : k_verdicts[j->v];
    printf("%-11s %3zu/%zu %s (%.1f s)", what, i + 1, n, j->m.key, j->secs);
    if (j->v == M_KILLED)
        printf(" by %s", j->killer);
    else if (j->v != M_SURVIVED)
        printf(": %s", j->msg);
    printf("\n");
    if (j->v == M_SURVIVED && !j->equiv && !j->patch[0])
        printf("    - %s\n    + %s\n", j->m.before, j->m.after);
    fflush(stdout);
}

/* Runs every job, up to a->jobs at a time, each in its own process with a time limit. */
static void run_jobs(const args *a, const suite *s, job *jobs, size_t n, const char *base,
                     const pim_model_id *base_id)
{
    typedef struct slot {
        pid_t pid;
        size_t j;
        double t0;
        int killed;
    } slot;
    slot run[64];
    size_t next = 0, nrun = 0, done = 0;
    const size_t width = a->jobs < 64 ? (size_t)a->jobs : 64;
    while (done < n) {
        while (next < n && nrun < width) {
            char dir[1200];
            snprintf(dir, sizeof dir, "%s/m%zu", a->out, next);
            fflush(stdout);
            const pid_t pid = fork();
            if (pid == 0)
                child(a, s, &jobs[next], dir, base, base_id);
            run[nrun++] = (slot){pid, next++, pim_now(), 0};
        }
        int status = 0;
        const pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid <= 0) {
            for (size_t k = 0; k < nrun; k++)
                if (!run[k].killed && pim_now() - run[k].t0 > (double)a->timeout) {
                    kill(run[k].pid, SIGKILL);
                    run[k].killed = 1;
                }
            usleep(20000);
            continue;
        }
        for (size_t k = 0; k < nrun; k++) {
            if (run[k].pid != pid)
                continue;
            job *j = &jobs[run[k].j];
            char dir[1200], cmd[1400];
            snprintf(dir, sizeof dir, "%s/m%zu", a->out, run[k].j);
            j->secs = pim_now() - run[k].t0;
            read_result(j, dir, status);
            if (!a->keep && !strchr(dir, '\'')) {
                snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
                run_cmd(cmd);
            }
            say(j, run[k].j, n);
            run[k] = run[--nrun];
            done++;
            break;
        }
    }
}

/* ------------------------------------------------------------------ inputs */

/* rtl/mutants.equiv: "KEY reason..." per line, '#' comments. Marks the jobs it names; the
 * lines naming no mutant of this run are counted in *unused. A missing file lists nothing;
 * an unreadable one (or not a regular file), or a line without a reason, is refused: 0, or
 * -1 with the reason in msg. */
static int read_equiv(const char *path, job *jobs, size_t n, char **text, size_t *unused,
                      char *msg, size_t mn)
{
    *unused = 0;
    *text = NULL;
    if (access(path, F_OK) != 0 && errno == ENOENT)
        return 0;
    size_t len = 0;
    pim_error err;
    if (pim_read_file_max(path, (uint64_t)1 << 24, text, &len, &err) != PIM_OK) {
        char line[PIM_ERROR_MSG_MAX * 2];
        snprintf(msg, mn, "%s", pim_error_format(&err, line, sizeof line));
        return -1;
    }
    unsigned ln = 0;
    for (char *line = *text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        ln++;
        while (*line == ' ' || *line == '\t')
            line++;
        if (!*line || *line == '#')
            continue;
        char *sp = strpbrk(line, " \t");
        if (sp)
            *sp++ = '\0';
        while (sp && (*sp == ' ' || *sp == '\t'))
            sp++;
        if (!sp || !*sp) {
            snprintf(msg, mn, "%s:%u: %.300s has no reason (a line is \"KEY reason\")", path, ln,
                     line);
            return -1;
        }
        int found = 0;
        for (size_t i = 0; i < n; i++)
            if (strcmp(jobs[i].m.key, line) == 0) {
                jobs[i].equiv = sp;
                found = 1;
            }
        *unused += !found;
    }
    return 0;
}

/* Keeps the mutants of m whose key is in keys; -1 (the reason in msg) when a key names none. */
static int keep_only(pim_mutants *m, const pim_paths *keys, char *msg, size_t mn)
{
    for (size_t k = 0; k < keys->n; k++) {
        int found = 0;
        for (size_t i = 0; i < m->n && !found; i++)
            found = strcmp(m->v[i].key, keys->v[k]) == 0;
        if (!found) {
            snprintf(msg, mn, "--mutant %.400s: no such mutant of the sources (see --list)",
                     keys->v[k]);
            return -1;
        }
    }
    size_t w = 0;
    for (size_t i = 0; i < m->n; i++)
        if (pim_paths_has(keys, m->v[i].key))
            m->v[w++] = m->v[i];
    m->n = w;
    return 0;
}

/* The jobs: the generated mutants (--mutant, sampled), then each *.patch / *.diff under
 * a->patches. */
static int make_jobs(const args *a, job **out, size_t *n, char *msg, size_t mn)
{
    pim_mutants ms = {0};
    if (!a->only_patches &&
        pim_mutants_generate(a->root, pim_mutate_sources(), &ms, msg, mn) != 0)
        return -1;
    if (a->only.n && keep_only(&ms, &a->only, msg, mn) != 0) {
        pim_mutants_free(&ms);
        return -1;
    }
    pim_mutants_sample(&ms, (size_t)a->sample, a->seed);
    pim_paths patches = {0};
    if (a->patches) {
        DIR *d = opendir(a->patches);
        if (!d) {
            snprintf(msg, mn, "--patches %s: not a directory", a->patches);
            pim_mutants_free(&ms);
            return -1;
        }
        for (struct dirent *e; (e = readdir(d));) {
            const size_t l = strlen(e->d_name);
            if (l > 6 && (strcmp(e->d_name + l - 6, ".patch") == 0 || strcmp(e->d_name + l - 5, ".diff") == 0)) {
                char p[1200];
                snprintf(p, sizeof p, "%s/%s", a->patches, e->d_name);
                char *abs = realpath(p, NULL);
                pim_paths_push(&patches, abs ? abs : p);
                free(abs);
            }
        }
        closedir(d);
        pim_paths_sort(&patches);
    }
    *n = ms.n + patches.n;
    *out = calloc(*n ? *n : 1, sizeof **out);
    if (!*out) {
        snprintf(msg, mn, "out of memory");
        pim_mutants_free(&ms);
        pim_paths_free(&patches);
        return -1;
    }
    for (size_t i = 0; i < ms.n; i++)
        (*out)[i].m = ms.v[i];
    for (size_t i = 0; i < patches.n; i++) {
        job *j = &(*out)[ms.n + i];
        snprintf(j->patch, sizeof j->patch, "%s", patches.v[i]);
        const char *b = strrchr(patches.v[i], '/');
        snprintf(j->m.key, sizeof j->m.key, "patch:%s", b ? b + 1 : patches.v[i]);
        snprintf(j->m.op, sizeof j->m.op, "patch");
    }
    pim_mutants_free(&ms);
    pim_paths_free(&patches);
    return 0;
}

/* ------------------------------------------------------------------ the report */

static cJSON *job_json(const job *j)
{
    pim_jb b = {0};
    cJSON *o = cJSON_CreateObject();
    pim_jb_str(&b, o, "id", j->m.key);
    pim_jb_str(&b, o, "source", j->patch[0] ? j->patch : "generated");
    if (!j->patch[0]) {
        char diff[700];
        pim_jb_str(&b, o, "file", j->m.file);
        pim_jb_num(&b, o, "line", j->m.line);
        pim_jb_str(&b, o, "operator", j->m.op);
        snprintf(diff, sizeof diff, "--- a/%s\n+++ b/%s\n@@ -%u +%u @@\n-%s\n+%s\n", j->m.file,
                 j->m.file, j->m.line, j->m.line, j->m.before, j->m.after);
        pim_jb_str(&b, o, "diff", diff);
    }
    pim_jb_str(&b, o, "status", j->v == M_SURVIVED && j->equiv ? "equivalent" : k_verdicts[j->v]);
    if (j->equiv)
        pim_jb_str(&b, o, "equivalent_because", j->equiv);
    if (j->killer[0])
        pim_jb_str(&b, o, "killed_by", j->killer);
    if (j->msg[0])
        pim_jb_str(&b, o, "message", j->msg);
    pim_jb_num(&b, o, "seconds", j->secs);
    return o;
}

typedef struct tally {
    size_t killed, survived, equivalent, unbuildable, stale, noop, wrong_equiv;
    double secs;
} tally;

static tally count(const job *jobs, size_t n)
{
    tally t = {0};
    for (size_t i = 0; i < n; i++) {
        const job *j = &jobs[i];
        t.secs += j->secs;
        switch (j->v) {
        case M_KILLED: t.killed++; t.wrong_equiv += j->equiv != NULL; break;
        case M_SURVIVED: if (j->equiv) t.equivalent++; else t.survived++; break;
        case M_UNBUILDABLE: t.unbuildable++; break;
        case M_STALE: t.stale++; break;
        case M_NOOP: t.noop++; break;
        default: break;
        }
    }
    return t;
}

static int write_json(const args *a, const job *jobs, size_t n, const tally *t, size_t vectors,
                      double wall)
{
    pim_jb b = {0};
    cJSON *root = cJSON_CreateObject();
    pim_jb_str(&b, root, "tool", "pimcosim");
    pim_jb_str(&b, root, "kind", "mutate");
    pim_jb_num(&b, root, "seed", (double)a->seed);
    pim_jb_num(&b, root, "sample", (double)a->sample);
    pim_jb_num(&b, root, "stress", (double)a->stress);
    pim_jb_num(&b, root, "suite_vectors", (double)vectors);
    cJSON *sum = pim_jb_obj(&b, root, "summary");
    pim_jb_num(&b, sum, "mutants", (double)n);
    pim_jb_num(&b, sum, "killed", (double)t->killed);
    pim_jb_num(&b, sum, "survived", (double)t->survived);
    pim_jb_num(&b, sum, "equivalent", (double)t->equivalent);
    pim_jb_num(&b, sum, "unbuildable", (double)t->unbuildable);
    pim_jb_num(&b, sum, "stale", (double)t->stale);
    pim_jb_num(&b, sum, "no_op", (double)t->noop);
    const size_t judged = t->killed + t->survived;
    pim_jb_num(&b, sum, "kill_rate", judged ? (double)t->killed / (double)judged : 1.0);
    pim_jb_num(&b, sum, "seconds", wall);
    pim_jb_num(&b, sum, "seconds_per_mutant", n ? t->secs / (double)n : 0);
    cJSON *arr = pim_jb_arr(&b, root, "mutants");
    for (size_t i = 0; i < n; i++)
        pim_jb_add(&b, arr, NULL, job_json(&jobs[i]));
    const int rc = b.oom ? -1 : pim_json_write_file(a->json, root);
    cJSON_Delete(root);
    return rc;
}

/* ------------------------------------------------------------------ the command */

static int parse(args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    a->seed = 1;
    a->jobs = 1;
    a->stress = 1;
    a->timeout = 600;
    a->out = "build/mutate";
    a->equiv_file = "rtl/mutants.equiv";
    pim_project_root(a->root, sizeof a->root);
    const pim_opt opts[] = {
        {.name = "--seed", .type = PIM_OPT_UINT, .dst = &a->seed, .size = sizeof a->seed,
         .hi = UINT64_MAX, .meta = "S", .help = "seed of the sample (default 1)"},
        {.name = "--sample", .type = PIM_OPT_UINT, .dst = &a->sample, .size = sizeof a->sample,
         .hi = UINT64_MAX, .meta = "K", .help = "run K of the generated mutants, chosen by the seed (default: all)"},
        {.name = "--jobs", .type = PIM_OPT_UINT, .dst = &a->jobs, .size = sizeof a->jobs, .lo = 1,
         .hi = 64, .meta = "N", .help = "mutants at a time (default 1)"},
        {.name = "--stress", .type = PIM_OPT_UINT, .dst = &a->stress, .size = sizeof a->stress,
         .hi = 2, .meta = "LEVEL", .help = "the driver's stress in the runs (default 1)"},
        {.name = "--timeout", .type = PIM_OPT_UINT, .dst = &a->timeout, .size = sizeof a->timeout,
         .lo = 1, .hi = 86400, .meta = "S", .help = "seconds a mutant may take (default 600; a hang counts as killed)"},
        {.name = "--patches", .type = PIM_OPT_STR, .dst = &a->patches, .meta = "DIR",
         .help = "also run each DIR/*.patch and *.diff (unified diffs against the tree)"},
        {.name = "--mutant", .type = PIM_OPT_FN, .dst = &a->only, .fn = pim_cli_add_string,
         .meta = "KEY", .help = "run only this generated mutant (repeatable; keys as --list prints them)"},
        {.name = "--only-patches", .type = PIM_OPT_FLAG, .dst = &a->only_patches, .set = 1,
         .help = "run the patches only, no generated mutants"},
        {.name = "--equiv", .type = PIM_OPT_STR, .dst = &a->equiv_file, .meta = "FILE",
         .help = "the equivalent mutants, \"KEY reason\" per line (default rtl/mutants.equiv)"},
        {.name = "--json", .type = PIM_OPT_STR, .dst = &a->json, .meta = "FILE",
         .help = "write a JSON report: each mutant, its diff and verdict, the kill rate"},
        {.name = "--out", .type = PIM_OPT_STR, .dst = &a->out, .meta = "DIR",
         .help = "working directory (default build/mutate)"},
        {.name = "--keep", .type = PIM_OPT_FLAG, .dst = &a->keep, .set = 1,
         .help = "keep each mutant's sources and models (DIR/m<N>)"},
        {.name = "--list", .type = PIM_OPT_FLAG, .dst = &a->list, .set = 1,
         .help = "print the mutants (key, line before and after) and stop"},
    };
    const pim_cmd c = {
        "mutate", "[options] SUITE...",
        "Mutation testing of the RTL: makes mutants of rtl/*.sv (operators swapped, constants\n"
        "moved by one, conditions inverted, assignments dropped; deterministic from the sources\n"
        "and the seed), builds each one, and runs the SUITE (vectors, or directories of them;\n"
        "a file that is not a vector loads as a stream, strict or pimcomp, on the default\n"
        "architecture)\n"
        "in lockstep with stress until a vector fails. Reports each mutant killed, survived,\n"
        "equivalent (listed in rtl/mutants.equiv with its reason) or unbuildable, the kill rate\n"
        "and the time per mutant. The suite must pass on the RTL in the tree first.\n",
        "Exit: 0 every mutant killed or equivalent (stale patches are reported, not failed),\n"
        "1 a mutant survived or one listed as equivalent was killed, 2 bad input or a suite\n"
        "that fails on the unmutated RTL.\n",
        opts, sizeof opts / sizeof opts[0], pim_cli_add_vectors, &a->suite, -1};
    const int rc = pim_opt_parse(&c, argc - 1, argv + 1);
    if (rc == 0 && !a->list && a->suite.n == 0)
        return pim_opt_fail(&c, "no suite given (see --help)");
    return rc == 1 ? -1 : rc;
}

/* The unmutated models of the suite (at the mutants' optimization) into base, and the suite
 * run on them: it must pass. 0, or 2 after saying why. */
static int baseline(const args *a, const suite *s, const char *base, pim_model_id *id)
{
    pim_rtl_opts o;
    mutant_opts(a, a->root, base, &o);
    *id = o.id;
    pim_paths need = {0};
    for (size_t i = 0; i < s->n; i++) {
        char t[1024], v[1024];
        pim_rtl_model_paths(&s->p[i]->cfg, &o, t, v, sizeof t);
        if (!pim_paths_has(&need, t))
            pim_paths_push(&need, t);
        if (!pim_paths_has(&need, v))
            pim_paths_push(&need, v);
    }
    const double t0 = pim_now();
    const int built = pim_rtl_build_models(&o, need.v, need.n, (int)a->jobs);
    pim_paths_free(&need);
    if (built != 0) {
        fprintf(stderr, "pimcosim mutate: building the unmutated RTL models failed\n");
        return 2;
    }
    char killer[256] = "", msg[600] = "";
    const int rc = run_suite(s, &o, killer, sizeof killer, msg, sizeof msg);
    if (rc != 0) {
        fprintf(stderr, "pimcosim mutate: the suite fails on the RTL in the tree: %s: %s\n",
                killer, msg);
        return 2;
    }
    printf("baseline: %zu vectors pass on the unmutated RTL (stress %" PRIu64 ", models in %.1f s)\n",
           s->n, a->stress, pim_now() - t0);
    return 0;
}

int pim_cmd_mutate(int argc, char **argv)
{
    args a;
    int rc = parse(&a, argc, argv);
    if (rc) {
        pim_paths_free(&a.suite);
        pim_paths_free(&a.only);
        return rc < 0 ? PIM_EXIT_PASS : PIM_EXIT_BAD_INPUT;
    }
    char msg[600];
    job *jobs = NULL;
    size_t n = 0;
    if (make_jobs(&a, &jobs, &n, msg, sizeof msg) != 0) {
        fprintf(stderr, "pimcosim mutate: %s\n", msg);
        pim_paths_free(&a.suite);
        pim_paths_free(&a.only);
        return PIM_EXIT_BAD_INPUT;
    }
    if (a.list) {
        for (size_t i = 0; i < n; i++)
            printf("%s\n    - %s\n    + %s\n", jobs[i].m.key, jobs[i].m.before, jobs[i].m.after);
        printf("%zu mutants\n", n);
        free(jobs);
        pim_paths_free(&a.suite);
        pim_paths_free(&a.only);
        return PIM_EXIT_PASS;
    }
    char *equiv_text = NULL;
    size_t unused = 0;
    if (read_equiv(a.equiv_file, jobs, n, &equiv_text, &unused, msg, sizeof msg) != 0) {
        fprintf(stderr, "pimcosim mutate: %s\n", msg);
        free(equiv_text);
        free(jobs);
        pim_paths_free(&a.suite);
        pim_paths_free(&a.only);
        return PIM_EXIT_BAD_INPUT;
    }
    suite s = {0};
    char base[1200];
    snprintf(base, sizeof base, "%s/models", a.out);
    pim_mkdirs(base);
    char *abs = realpath(base, NULL); /* the mutants' links to it must not depend on the cwd */
    if (abs)
        snprintf(base, sizeof base, "%s", abs);
    free(abs);
    pim_model_id base_id;
    const double t0 = pim_now();
    if (load_suite(&a.suite, &s) != 0 || s.n == 0) {
        fprintf(stderr, "pimcosim mutate: no vector of the suite loads\n");
        rc = PIM_EXIT_BAD_INPUT;
    } else if ((rc = baseline(&a, &s, base, &base_id)) == 0) {
        run_jobs(&a, &s, jobs, n, base, &base_id);
        const tally t = count(jobs, n);
        const double wall = pim_now() - t0;
        const size_t judged = t.killed + t.survived;
        printf("mutate: %zu mutants: %zu killed, %zu survived, %zu equivalent, %zu unbuildable, "
               "%zu stale, %zu no-op; kill rate %.1f%%; %.1f s per mutant, %.0f s in all\n",
               n, t.killed, t.survived, t.equivalent, t.unbuildable, t.stale, t.noop,
               judged ? 100.0 * (double)t.killed / (double)judged : 100.0,
               n ? t.secs / (double)n : 0.0, wall);
        if (t.wrong_equiv)
            printf("mutate: %zu mutants listed as equivalent were killed: fix %s\n",
                   t.wrong_equiv, a.equiv_file);
        if (a.json && write_json(&a, jobs, n, &t, s.n, wall) != 0)
            fprintf(stderr, "pimcosim mutate: cannot write %s\n", a.json);
        if (t.stale)
            printf("mutate: %zu stale (no longer apply to the tree): update or remove them\n",
                   t.stale);
        rc = (t.survived || t.wrong_equiv) ? PIM_EXIT_MISMATCH : PIM_EXIT_PASS;
    }
    if (rc != PIM_EXIT_BAD_INPUT && unused && a.sample == 0 && !a.only_patches && !a.only.n)
        printf("mutate: %zu entries of %s name no mutant of the sources (lines moved?): "
               "update them\n", unused, a.equiv_file);
    free(equiv_text);
    free_suite(&s);
    free(jobs);
    pim_paths_free(&a.suite);
    pim_paths_free(&a.only);
    return rc;
}
