/* opt.c - the commands' option parser (pim_opt.h). */
#include "pim_opt.h"

#include <stdarg.h>
#include <string.h>

#include "pim_status.h"
#include "pim_util.h"

int pim_opt_take(void *ud, const char *arg)
{
    *(const char **)ud = arg;
    return 0;
}

int pim_opt_fail(const pim_cmd *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "pimcosim %s: ", c->name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return PIM_EXIT_BAD_INPUT;
}

/* The option named by arg ("--name" or "--name=value"); *value the part after '='. */
static const pim_opt *find(const pim_cmd *c, const char *arg, const char **value)
{
    const char *eq = strchr(arg, '=');
    const size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
    for (size_t i = 0; i < c->n_opts; i++)
        if (strlen(c->opts[i].name) == n && strncmp(c->opts[i].name, arg, n) == 0) {
            *value = eq ? eq + 1 : NULL;
            return &c->opts[i];
        }
    return NULL;
}

static void store_uint(const pim_opt *o, uint64_t v)
{
    switch (o->size) {
    case 1: *(uint8_t *)o->dst = (uint8_t)v; break;
    case 2: *(uint16_t *)o->dst = (uint16_t)v; break;
    case 4: *(uint32_t *)o->dst = (uint32_t)v; break;
    default: *(uint64_t *)o->dst = v; break;
    }
}

/* "strict, pimcomp or auto" from "strict|pimcomp|auto". */
static void choice_words(const char *choices, char *buf, size_t n)
{
    size_t k = 0, items = 1;
    for (const char *s = choices; *s; s++)
        items += *s == '|';
    size_t item = 0;
    for (const char *s = choices; *s && k + 6 < n; s++) {
        if (*s == '|') {
            item++;
            k += (size_t)snprintf(buf + k, n - k, "%s", item + 1 == items ? " or " : ", ");
        } else {
            buf[k++] = *s;
        }
    }
    buf[k < n ? k : n - 1] = '\0';
}

/* Index + 1 of value among choices, or 0. */
static int choice_index(const char *choices, const char *value)
{
    const size_t vn = strlen(value);
    int i = 1;
    for (const char *s = choices; *s; i++) {
        const char *e = strchr(s, '|');
        const size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == vn && strncmp(s, value, n) == 0)
            return i;
        if (!e)
            break;
        s = e + 1;
    }
    return 0;
}

/* Applies one option with its value (NULL: none given). 0, or 2 after the error. */
static int apply(const pim_cmd *c, const pim_opt *o, const char *v)
{
    char msg[400];
    switch (o->type) {
    case PIM_OPT_FLAG:
        *(int *)o->dst = o->set;
        return 0;
    case PIM_OPT_UINT: {
        uint64_t x;
        if (pim_parse_u64(v, &x) != 0 || x < o->lo || x > o->hi)
            return pim_opt_fail(c, "%s takes an integer in %llu..%llu, not '%s'", o->name,
                                (unsigned long long)o->lo, (unsigned long long)o->hi, v);
        store_uint(o, x);
        return 0;
    }
    case PIM_OPT_STR:
        *(const char **)o->dst = v;
        return 0;
    case PIM_OPT_CHOICE: {
        const int k = v ? choice_index(o->choices, v) : 1;
        if (!k) {
            choice_words(o->choices, msg, sizeof msg);
            return pim_opt_fail(c, "%s takes %s, not '%s'", o->name, msg, v);
        }
        *(int *)o->dst = k;
        return 0;
    }
    case PIM_OPT_FN:
        msg[0] = '\0';
        if (o->fn(o->dst, v, msg, sizeof msg) != 0)
            return pim_opt_fail(c, "%s", msg[0] ? msg : "bad value");
        return 0;
    }
    return 0;
}

int pim_opt_parse(const pim_cmd *c, int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            pim_opt_help(c, stdout);
            return 1;
        }
    int npos = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] == '\0') {
            if (!c->positional || (c->max_pos >= 0 && npos >= c->max_pos))
                return pim_opt_fail(c, "unexpected argument '%s' (see --help)", a);
            npos++;
            if (c->positional(c->pos_ud, a) != 0)
                return PIM_EXIT_BAD_INPUT;
            continue;
        }
        const char *v = NULL;
        const pim_opt *o = find(c, a, &v);
        if (!o)
            return pim_opt_fail(c, "unknown option '%s' (see --help)", a);
        if (o->type == PIM_OPT_FLAG && v)
            return pim_opt_fail(c, "%s takes no value", o->name);
        const int takes = o->type != PIM_OPT_FLAG && !(o->type == PIM_OPT_CHOICE && o->optional);
        if (takes && !v) {
            if (i + 1 >= argc)
                return pim_opt_fail(c, "%s needs a value (see --help)", o->name);
            v = argv[++i];
        }
        const int rc = apply(c, o, v);
        if (rc)
            return rc;
        if (o->given)
            *o->given = 1;
    }
    return 0;
}

/* "--name VALUE" or "--name[=a|b]" as the help shows it. */
static void spelling(const pim_opt *o, char *buf, size_t n)
{
    if (o->type == PIM_OPT_CHOICE && o->optional)
        snprintf(buf, n, "%s[=%s]", o->name, o->choices);
    else if (o->meta)
        snprintf(buf, n, "%s %s", o->name, o->meta);
    else
        snprintf(buf, n, "%s", o->name);
}

void pim_opt_help(const pim_cmd *c, FILE *out)
{
    fprintf(out, "usage: pimcosim %s %s\n\n%s", c->name, c->usage, c->about);
    size_t w = 0;
    char s[128];
    for (size_t i = 0; i < c->n_opts; i++) {
        spelling(&c->opts[i], s, sizeof s);
        if (strlen(s) > w)
            w = strlen(s);
    }
    if (c->n_opts)
        fputc('\n', out);
    for (size_t i = 0; i < c->n_opts; i++) {
        spelling(&c->opts[i], s, sizeof s);
        fprintf(out, "  %-*s  ", (int)w, s);
        for (const char *h = c->opts[i].help; *h; h++) {
            fputc(*h, out);
            if (*h == '\n')
                fprintf(out, "  %-*s  ", (int)w, "");
        }
        fputc('\n', out);
    }
    if (c->epilog)
        fprintf(out, "\n%s", c->epilog);
}
