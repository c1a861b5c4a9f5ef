/* cli.c - what several commands share (pim_cli.h): collecting vector files, the JUnit
 * XML writer (`run` over vectors, `run --stream`, `merge`). */
#include "pim_cli.h"

#include <dirent.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

int pim_cli_add_vectors(void *ud, const char *arg) { return collect(ud, arg, 1); }

int pim_cli_add_string(void *ud, const char *value, char *msg, size_t n)
{
    if (pim_paths_push(ud, value) != 0) {
        snprintf(msg, n, "out of memory");
        return -1;
    }
    return 0;
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

int pim_cli_two_numbers(const char *s, char sep, uint64_t *a, uint64_t *b)
{
    const char *mid = s ? strchr(s, sep) : NULL;
    char first[32];
    if (!mid || (size_t)(mid - s) >= sizeof first)
        return -1;
    snprintf(first, sizeof first, "%.*s", (int)(mid - s), s);
    return pim_parse_u64(first, a) || pim_parse_u64(mid + 1, b) ? -1 : 0;
}

int pim_cli_parse_size(void *ud, const char *value, char *msg, size_t n)
{
    uint64_t *out = ud;
    char num[32];
    const size_t l = strlen(value);
    uint64_t unit = 1;
    size_t digits = l;
    if (l > 0) {
        switch (value[l - 1]) {
        case 'K': case 'k': unit = (uint64_t)1 << 10; digits--; break;
        case 'M': case 'm': unit = (uint64_t)1 << 20; digits--; break;
        case 'G': case 'g': unit = (uint64_t)1 << 30; digits--; break;
        case 'T': case 't': unit = (uint64_t)1 << 40; digits--; break;
        default: break;
        }
    }
    uint64_t v = 0;
    if (digits == 0 || digits >= sizeof num)
        goto bad;
    snprintf(num, sizeof num, "%.*s", (int)digits, value);
    if (pim_parse_u64(num, &v) != 0 || v == 0 || v > UINT64_MAX / unit)
        goto bad;
    *out = v * unit;
    return 0;
bad:
    snprintf(msg, n, "takes a size in bytes, with K, M, G or T for 2^10, 2^20, 2^30, 2^40 "
             "(e.g. 512M), not '%.60s'", value);
    return -1;
}

int pim_cli_parse_window(void *ud, const char *value, char *msg, size_t n)
{
    pim_window *w = ud;
    if (pim_cli_two_numbers(value, ':', &w->before, &w->after) == 0)
        return 0;
    snprintf(msg, n, "--wave-window takes BEFORE:AFTER cycles, not '%s'", value);
    return -1;
}

/* The fault names the RTL knows: every PIM_FAULT_ name of an `ifdef / `ifndef in the .sv files of rtl/ under
 * root, into list (n bytes, space-separated); 1 when name is one of them. */
static int fault_known(const char *root, const char *name, char *list, size_t n)
{
    char dir[1100];
    snprintf(dir, sizeof dir, "%.1000s/rtl", root);
    DIR *d = opendir(dir);
    int found = 0;
    size_t k = 0;
    list[0] = '\0';
    for (struct dirent *e = d ? readdir(d) : NULL; e; e = readdir(d)) {
        const size_t ln = strlen(e->d_name);
        if (ln < 4 || strcmp(e->d_name + ln - 3, ".sv") != 0)
            continue;
        char path[1400], line[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "r");
        while (f && fgets(line, sizeof line, f)) {
            const char *p = strstr(line, "`ifdef PIM_FAULT_");
            if (!p)
                p = strstr(line, "`ifndef PIM_FAULT_");
            if (!p)
                continue;
            p = strstr(p, "PIM_FAULT_");
            char fault[80];
            size_t m = 0;
            while (m + 1 < sizeof fault && (isupper((unsigned char)p[m]) || isdigit((unsigned char)p[m]) || p[m] == '_'))
                fault[m] = p[m], m++;
            fault[m] = '\0';
            if (strcmp(fault, name) == 0)
                found = 1;
            char word[84];
            snprintf(word, sizeof word, " %s ", fault);
            char padded[4200];
            snprintf(padded, sizeof padded, " %s ", list);
            if (!strstr(padded, word) && k + m + 2 < n)
                k += (size_t)snprintf(list + k, n - k, "%s%s", k ? " " : "", fault);
        }
        if (f)
            fclose(f);
    }
    if (d)
        closedir(d);
    return found;
}

int pim_cli_parse_fault(void *ud, const char *value, char *msg, size_t n)
{
    char root[1024], list[4000];
    pim_project_root(root, sizeof root);
    if (!fault_known(root, value, list, sizeof list)) {
        snprintf(msg, n, "--fault: '%.60s' is not a fault the RTL knows (%.480s)", value,
                 list[0] ? list : "the RTL names none");
        return -1;
    }
    *(const char **)ud = value;
    return 0;
}
