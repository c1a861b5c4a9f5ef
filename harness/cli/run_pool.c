/*
 * run_pool.c - the worker processes of `pimcosim run` (run_internal.h). The parent hands out
 * vectors one at a time through a pipe; a worker runs one with its own Verilated models
 * (opened once per config, reused) and sends the result record back. The parent times each
 * vector, asks a worker past the timeout to stop (SIGTERM: it stops the vector at its next
 * instruction and closes its waves), kills it after a grace period, notices a worker that
 * died, reports the vector as TIMEOUT or CRASH and starts a new worker; the run goes on.
 */
#include "run_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pim_status.h"
#include "pim_util.h"

/* Ctrl-C: the parent stops handing out vectors, stops its workers, and still writes the
 * reports. In a worker, SIGTERM (a timeout or Ctrl-C in the parent) stops the running vector
 * at its next instruction, so the waves being written are closed before the worker exits.
 * A signal handler can only reach file-scope flags. */
static volatile sig_atomic_t g_interrupted;
static volatile int g_stop_worker;
static void on_sigint(int sig)
{
    (void)sig;
    g_interrupted = 1;
}
static void on_sigterm_worker(int sig)
{
    (void)sig;
    g_stop_worker = 1;
}

/* Seconds a worker has after SIGTERM to close its waves before SIGKILL. */
#define TERM_GRACE 3.0

typedef struct worker {
    pid_t pid;
    int to, from;  /* pipes: indices to the worker, results from it */
    long current;  /* entry being run, -1 when idle */
    double started;
    double termed; /* when SIGTERM was sent (0: not yet) */
} worker;

typedef struct pool {
    run_entry *e;
    size_t n, next, finished, failed, tap_no;
    const run_opts *o;
    worker *w;
    int nw;
} pool;

/* All n bytes through a pipe (read or write), retrying after signals; 0, or -1 at EOF or on
 * an error. */
static int pipe_all(int fd, void *buf, size_t n, int writing)
{
    char *p = buf;
    while (n) {
        ssize_t k = writing ? write(fd, p, n) : read(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static int write_all(int fd, const void *buf, size_t n) { return pipe_all(fd, (void *)buf, n, 1); }
static int read_all(int fd, void *buf, size_t n) { return pipe_all(fd, buf, n, 0); }

static void worker_main(int in, int out, const run_entry *e, const run_opts *o)
{
    signal(SIGINT, SIG_IGN); /* the parent decides */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigterm_worker;
    sigaction(SIGTERM, &sa, NULL);
    run_opts wo = *o;
    wo.stop = &g_stop_worker;
    pim_rtl_opts ro = o->rtl;
    ro.build = 0; /* the parent built what is needed */
    pim_rtl_set *rc = o->golden_only ? NULL : pim_rtl_set_new(&ro, 4);
    if (!o->golden_only && !rc)
        _exit(3);
    int64_t idx;
    while (read_all(in, &idx, sizeof idx) == 0 && idx >= 0) {
        run_result r;
        g_stop_worker = 0;
        run_vector(e[idx].path, rc, &wo, &r);
        if (write_all(out, &idx, sizeof idx) || write_all(out, &r, sizeof r))
            break;
    }
    pim_rtl_set_free(rc); /* final(), waves closed */
    _exit(0);
}

static int spawn(pool *pl, worker *w)
{
    int a[2], b[2];
    if (pipe(a) || pipe(b))
        return -1;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(a[1]);
        close(b[0]);
        for (int i = 0; i < pl->nw; i++) /* other workers' pipes are not ours */
            if (pl->w[i].pid > 0 && &pl->w[i] != w) {
                close(pl->w[i].to);
                close(pl->w[i].from);
            }
        worker_main(a[0], b[1], pl->e, pl->o);
    }
    close(a[0]);
    close(b[1]);
    w->pid = pid;
    w->to = a[1];
    w->from = b[0];
    w->current = -1;
    w->termed = 0;
    return 0;
}

static void retire(worker *w)
{
    if (w->pid <= 0)
        return;
    close(w->to);
    close(w->from);
    w->pid = 0;
}

/* Gives every idle worker (restarting a dead one) the next vector. */
static void hand_out(pool *pl)
{
    for (int i = 0; i < pl->nw; i++) {
        worker *w = &pl->w[i];
        if (w->pid <= 0 && pl->next < pl->n && spawn(pl, w) != 0)
            continue;
        if (w->pid > 0 && w->current < 0 && pl->next < pl->n) {
            int64_t idx = (int64_t)pl->next;
            if (write_all(w->to, &idx, sizeof idx) == 0) {
                w->current = (long)pl->next++;
                w->started = pim_now();
            }
        }
    }
}

static void finish(pool *pl, run_entry *x)
{
    x->done = 1;
    pl->finished++;
    pl->failed += x->res.verdict != V_PASS;
    run_print_result(pl->o, x, ++pl->tap_no);
}

/* A result came from worker w. 1 when it was the one expected. */
static int take_result(pool *pl, worker *w, run_entry *x)
{
    int64_t idx;
    run_result r;
    if (read_all(w->from, &idx, sizeof idx) != 0 || read_all(w->from, &r, sizeof r) != 0 || !x ||
        idx != w->current)
        return 0;
    if (w->termed) { /* it stopped because of the timeout */
        r.verdict = V_TIMEOUT;
        snprintf(r.msg, sizeof r.msg, "stopped after the %" PRIu64 " s timeout%s", pl->o->timeout,
                 pl->o->wave ? "; the waves so far were closed" : "");
        w->termed = 0;
    }
    x->res = r;
    w->current = -1;
    finish(pl, x);
    return 1;
}

/* Worker w is silent: it died, or its vector is late (SIGTERM, then SIGKILL after the
 * grace period). */
static void check_worker(pool *pl, worker *w, run_entry *x, short rev)
{
    int status;
    const int died = (rev & (POLLHUP | POLLERR)) || waitpid(w->pid, &status, WNOHANG) == w->pid;
    const int late = x && pim_now() - w->started > (double)pl->o->timeout;
    if (late && !died && w->termed == 0) { /* ask it to stop and close its waves */
        kill(w->pid, SIGTERM);
        w->termed = pim_now();
        return;
    }
    if ((late && !died && pim_now() - w->termed < TERM_GRACE) || (!died && !late))
        return;
    if (late)
        kill(w->pid, SIGKILL);
    status = 0;
    waitpid(w->pid, &status, 0);
    retire(w);
    if (x) {
        memset(&x->res, 0, sizeof x->res);
        x->res.secs = pim_now() - w->started;
        x->res.verdict = late ? V_TIMEOUT : V_CRASH;
        if (late)
            snprintf(x->res.msg, sizeof x->res.msg, "killed after the %" PRIu64 " s timeout",
                     pl->o->timeout);
        else if (WIFSIGNALED(status))
            snprintf(x->res.msg, sizeof x->res.msg, "the worker died of signal %d (%s)",
                     WTERMSIG(status), strsignal(WTERMSIG(status)));
        else
            snprintf(x->res.msg, sizeof x->res.msg, "the worker exited with status %d",
                     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        finish(pl, x);
    }
    w->current = -1;
}

/* One round: hand out work, wait up to 200 ms, take what came. */
static void round_trip(pool *pl)
{
    hand_out(pl);
    struct pollfd pf[256];
    int np = 0;
    for (int i = 0; i < pl->nw; i++)
        if (pl->w[i].pid > 0) {
            pf[np].fd = pl->w[i].from;
            pf[np].events = POLLIN;
            np++;
        }
    poll(pf, (nfds_t)np, 200);
    for (int i = 0, k = 0; i < pl->nw; i++) {
        worker *w = &pl->w[i];
        if (w->pid <= 0)
            continue;
        const short rev = pf[k++].revents;
        run_entry *x = w->current >= 0 ? &pl->e[w->current] : NULL;
        if ((rev & POLLIN) && take_result(pl, w, x))
            continue;
        check_worker(pl, w, x, rev);
    }
}

/* Idle workers are told to stop; busy ones (or all after Ctrl-C) get SIGTERM and time to
 * close their waves. */
static void stop_all(pool *pl)
{
    for (int i = 0; i < pl->nw; i++) {
        worker *w = &pl->w[i];
        if (w->pid <= 0)
            continue;
        int64_t stop = -1;
        if (w->current >= 0 || g_interrupted) {
            kill(w->pid, SIGTERM);
            const double t = pim_now();
            while (waitpid(w->pid, NULL, WNOHANG) == 0 && pim_now() - t < TERM_GRACE)
                poll(NULL, 0, 20);
            kill(w->pid, SIGKILL);
        } else {
            write_all(w->to, &stop, sizeof stop);
        }
        close(w->to);
        waitpid(w->pid, NULL, 0);
        close(w->from);
    }
}

int run_pool(run_entry *e, size_t n, const run_opts *o, double t0, int *interrupted)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    const int tty = isatty(STDOUT_FILENO) && !o->tap;
    pool pl;
    memset(&pl, 0, sizeof pl);
    pl.e = e;
    pl.n = n;
    pl.o = o;
    pl.nw = n < (size_t)o->jobs ? (int)(n ? n : 1) : o->jobs;
    pl.w = calloc((size_t)pl.nw, sizeof *pl.w);
    int rc = pl.w ? PIM_EXIT_PASS : PIM_EXIT_BAD_INPUT;
    for (int i = 0; i < pl.nw && rc == PIM_EXIT_PASS; i++)
        if (spawn(&pl, &pl.w[i]) != 0) {
            fprintf(stderr, "pimcosim run: cannot start a worker\n");
            rc = PIM_EXIT_BAD_INPUT;
        }
    while (rc == PIM_EXIT_PASS && pl.finished < n && !g_interrupted) {
        round_trip(&pl);
        if (tty && !o->quiet) {
            fprintf(stderr, "\r[%zu/%zu] %zu failed, %.1f s ", pl.finished, n, pl.failed,
                    pim_now() - t0);
            fflush(stderr);
        }
    }
    if (rc == PIM_EXIT_PASS && tty && !o->quiet)
        fprintf(stderr, "\r%60s\r", "");
    if (pl.w)
        stop_all(&pl);
    free(pl.w);
    *interrupted = g_interrupted != 0;
    return rc;
}
