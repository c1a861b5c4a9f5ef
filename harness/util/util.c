/* util.c - the harness's shared helpers (pim_util.h). */
#include "pim_util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

double pim_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int pim_mkdirs(const char *path)
{
    char p[1200];
    if (snprintf(p, sizeof p, "%s", path) >= (int)sizeof p) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST)
                return -1;
            *s = '/';
        }
    return mkdir(p, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

uint64_t pim_fnv1a(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

uint64_t pim_fnv1a_str(const char *s) { return pim_fnv1a(PIM_FNV1A_INIT, s, strlen(s)); }

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

int pim_paths_has(const pim_paths *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return 1;
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

int pim_parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s)
        return -1;
    const int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    const char *p = hex ? s + 2 : s;
    const uint64_t base = hex ? 16 : 10;
    uint64_t v = 0;
    if (!*p)
        return -1;
    for (; *p; p++) {
        uint64_t d;
        if (*p >= '0' && *p <= '9')
            d = (uint64_t)(*p - '0');
        else if (hex && *p >= 'a' && *p <= 'f')
            d = (uint64_t)(*p - 'a' + 10);
        else if (hex && *p >= 'A' && *p <= 'F')
            d = (uint64_t)(*p - 'A' + 10);
        else
            return -1;
        if (v > (UINT64_MAX - d) / base)
            return -1;
        v = v * base + d;
    }
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

void pim_first_line(const char *cmd, const char *dflt, char *out, size_t n)
{
    snprintf(out, n, "%s", dflt);
    FILE *p = popen(cmd, "r");
    if (!p)
        return;
    char line[256];
    if (fgets(line, sizeof line, p)) {
        line[strcspn(line, "\n")] = '\0';
        snprintf(out, n, "%s", line);
    }
    while (fgets(line, sizeof line, p))
        ;
    pclose(p);
}

void pim_path_dir(const char *path, char *dir, size_t n)
{
    snprintf(dir, n, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        dir[1] = '\0'; /* "/x" -> "/" */
    else if (slash)
        *slash = '\0';
    else
        snprintf(dir, n, ".");
}
