/* cli_util.c - helpers the pimcosim commands share (pim_cli.h). */
#include "pim_cli.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int pim_paths_push(pim_paths *l, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **q = realloc(l->v, cap * sizeof *q);
        if (!q)
            return -1;
        l->v = q;
        l->cap = cap;
    }
    size_t n = strlen(s) + 1;
    if (!(l->v[l->n] = malloc(n)))
        return -1;
    memcpy(l->v[l->n++], s, n);
    return 0;
}

void pim_paths_free(pim_paths *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void pim_paths_sort(pim_paths *l)
{
    if (l->n)
        qsort(l->v, l->n, sizeof *l->v, cmp_str);
}

static int is_vector_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".json") == 0) ||
           (n > 8 && strcmp(name + n - 8, ".json.gz") == 0);
}

static int collect(pim_paths *l, const char *path, int top)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        fprintf(stderr, "pimcosim: %s: no such file or directory\n", path);
        return -1;
    }
    if (!S_ISDIR(sb.st_mode))
        return (top || is_vector_name(path)) ? pim_paths_push(l, path) : 0;
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "pimcosim: %s: cannot open directory\n", path);
        return -1;
    }
    int rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(d));) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "configs") == 0)
            continue;
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *sub = malloc(n);
        if (!sub) {
            rc = -1;
            break;
        }
        snprintf(sub, n, "%s/%s", path, e->d_name);
        struct stat ss;
        if (stat(sub, &ss) == 0 && (S_ISDIR(ss.st_mode) || is_vector_name(e->d_name)))
            rc = collect(l, sub, 0);
        free(sub);
    }
    closedir(d);
    return rc;
}

int pim_collect_vectors(pim_paths *l, const char *path) { return collect(l, path, 1); }

int pim_parse_u64(const char *s, uint64_t *out)
{
    char *e;
    if (!s || !*s || *s == '-')
        return -1;
    unsigned long long v = strtoull(s, &e, 0);
    if (*e)
        return -1;
    *out = v;
    return 0;
}

void pim_project_root(char *root, size_t n)
{
    char exe[1024];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    snprintf(root, n, ".");
    if (k <= 0)
        return;
    exe[k] = '\0';
    for (int up = 0; up < 2; up++) {
        char *s = strrchr(exe, '/');
        if (!s)
            return;
        *s = '\0';
    }
    snprintf(root, n, "%s", exe[0] ? exe : "/");
}

static void xml_escape(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default:
            if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
                fputc(*s, f);
        }
    }
}

int pim_junit_write(const char *file, const char *suite, const pim_junit_case *c, size_t n)
{
    FILE *f = fopen(file, "w");
    if (!f)
        return -1;
    size_t fails = 0, errors = 0;
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        fails += c[i].outcome == 1;
        errors += c[i].outcome == 2;
        total += c[i].secs;
    }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(f, "<testsuites name=\"pimcosim\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"%.3f\">\n",
            n, fails, errors, total);
    fprintf(f, "  <testsuite name=\"");
    xml_escape(f, suite);
    fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"0\" time=\"%.3f\">\n", n,
            fails, errors, total);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "    <testcase classname=\"pimcosim.");
        xml_escape(f, c[i].classname);
        fprintf(f, "\" name=\"");
        xml_escape(f, c[i].name);
        fprintf(f, "\" file=\"");
        xml_escape(f, c[i].file);
        fprintf(f, "\" time=\"%.3f\"", c[i].secs);
        if (c[i].outcome == 0) {
            fprintf(f, "/>\n");
            continue;
        }
        const char *tag = c[i].outcome == 1 ? "failure" : "error";
        fprintf(f, ">\n      <%s type=\"", tag);
        xml_escape(f, c[i].type);
        fprintf(f, "\" message=\"");
        xml_escape(f, c[i].msg);
        fprintf(f, "\">");
        xml_escape(f, c[i].msg);
        fprintf(f, "</%s>\n    </testcase>\n", tag);
    }
    fprintf(f, "  </testsuite>\n</testsuites>\n");
    return fclose(f) == 0 ? 0 : -1;
}

double pim_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}
