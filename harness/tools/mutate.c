/*
 * mutate.c - RTL mutants (pim_mutate.h): a line-by-line scan of each source that knows just
 * enough SystemVerilog to find the operators, constants, conditions and assignments of the
 * logic, and to leave alone what is not logic (comments, declarations, fault-injection
 * branches, assertions).
 */
#include "pim_mutate.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pim_arith.h"

static const char *const k_sources[] = {"rtl/pim_xbar_tile.sv", "rtl/pim_vector_unit.sv", NULL};

const char *const *pim_mutate_sources(void) { return k_sources; }

#define LINE_MAX_LEN 199

/* ------------------------------------------------------------------ the list */

static int push(pim_mutants *out, const char *file, uint32_t line, uint32_t col, const char *op,
                const char *before, const char *after)
{
    if (strlen(after) > LINE_MAX_LEN)
        return 0;
    if (out->n == out->cap) {
        const size_t cap = out->cap ? 2 * out->cap : 64;
        pim_mutant *v = realloc(out->v, cap * sizeof *v);
        if (!v)
            return -1;
        out->v = v;
        out->cap = cap;
    }
    pim_mutant *m = &out->v[out->n++];
    memset(m, 0, sizeof *m);
    snprintf(m->file, sizeof m->file, "%s", file);
    m->line = line;
    m->col = col;
    snprintf(m->op, sizeof m->op, "%s", op);
    snprintf(m->key, sizeof m->key, "%s:%u:%u:%s", file, line, col, op);
    snprintf(m->before, sizeof m->before, "%s", before);
    snprintf(m->after, sizeof m->after, "%s", after);
    return 0;
}

/* before with [at, at + len) replaced by rep, as a mutant. */
static int replace(pim_mutants *out, const char *file, uint32_t line, const char *before,
                   size_t at, size_t len, const char *rep, const char *op)
{
    char after[512];
    const int k = snprintf(after, sizeof after, "%.*s%s%s", (int)at, before, rep, before + at + len);
    if (k < 0 || (size_t)k >= sizeof after)
        return 0;
    return push(out, file, line, (uint32_t)at + 1, op, before, after);
}

/* ------------------------------------------------------------------ what is logic */

/* The first word of s (after blanks) is w. */
static int starts_with_word(const char *s, const char *w)
{
    while (*s == ' ' || *s == '\t')
        s++;
    const size_t n = strlen(w);
    return strncmp(s, w, n) == 0 && !(isalnum((unsigned char)s[n]) || s[n] == '_');
}

/* A line that only feeds a lint sink: an assignment to a signal named unused_* (the
 * lowRISC convention for bits dropped on purpose) or view_* (a wave view), which nothing
 * reads. */
static int lint_sink(const char *code)
{
    while (*code == ' ' || *code == '\t')
        code++;
    if (starts_with_word(code, "assign"))
        code += 6;
    while (*code == ' ' || *code == '\t')
        code++;
    return strncmp(code, "unused_", 7) == 0 || strncmp(code, "view_", 5) == 0;
}

/* A line that declares rather than computes (or checks rather than computes), or feeds a
 * lint sink. */
static int not_logic(const char *code)
{
    if (lint_sink(code))
        return 1;
    static const char *const words[] = {"parameter", "localparam", "input", "output", "logic",
                                        "typedef", "module", "endmodule", "function",
                                        "endfunction", "genvar", "`include", "`define",
                                        "for", "assert", "package", "endpackage", NULL};
    for (const char *const *w = words; *w; w++)
        if (starts_with_word(code, *w))
            return 1;
    return strstr(code, "$error") != NULL || strstr(code, "assert") != NULL ||
           strstr(code, "for (") != NULL || strstr(code, "always") != NULL;
}

/* Preprocessor state: a stack of `ifdef / `ifndef whose lines are skipped. */
typedef struct pp {
    int depth;
    unsigned char skip[32], else_skip[32];
} pp;

/* Updates the state for a directive line; 1 when the line was a directive. */
static int directive(pp *s, const char *code)
{
    const char *c = code;
    while (*c == ' ' || *c == '\t')
        c++;
    if (strncmp(c, "`ifdef", 6) == 0 || strncmp(c, "`ifndef", 7) == 0) {
        const int fault = strstr(c, "PIM_FAULT_") != NULL;
        const int asrt = strstr(c, "PIM_ASSERT") != NULL;
        if (s->depth < 32) {
            /* the fault branch is skipped (its `else is the real logic); both branches of an
             * assertion block are */
            s->skip[s->depth] = (unsigned char)(fault || asrt);
            s->else_skip[s->depth] = (unsigned char)asrt;
        }
        s->depth++;
        return 1;
    }
    if (strncmp(c, "`else", 5) == 0) {
        if (s->depth > 0 && s->depth <= 32)
            s->skip[s->depth - 1] = s->else_skip[s->depth - 1];
        return 1;
    }
    if (strncmp(c, "`endif", 6) == 0) {
        if (s->depth > 0)
            s->depth--;
        return 1;
    }
    return c[0] == '`'; /* `define and friends: not logic */
}

static int skipping(const pp *s)
{
    for (int i = 0; i < s->depth && i < 32; i++)
        if (s->skip[i])
            return 1;
    return 0;
}

/* ------------------------------------------------------------------ the operators */

static int is_operand_end(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == ')' || c == ']' || c == '\'';
}

/* The previous non-blank character before i, or '\0'. */
static char prev_char(const char *s, size_t i)
{
    while (i > 0) {
        i--;
        if (s[i] != ' ' && s[i] != '\t')
            return s[i];
    }
    return '\0';
}

typedef struct swap {
    const char *tok, *rep, *op;
    int binary;  /* needs an operand before it */
    int in_expr; /* only inside parentheses (<= is also the nonblocking assignment) */
} swap;

/* Longest tokens first. */
static const swap k_swaps[] = {
    {">>>", ">>", "asr>lsr", 1, 0}, {"<<<", NULL, NULL, 0, 0},
    {"<<", ">>", "shl>shr", 1, 0},  {">>", "<<", "shr>shl", 1, 0},
    {"<=", "<", "le>lt", 1, 1},     {">=", ">", "ge>gt", 1, 0},
    {"==", "!=", "eq>ne", 1, 0},    {"!=", "==", "ne>eq", 1, 0},
    {"&&", "||", "and>or", 1, 0},   {"||", "&&", "or>and", 1, 0},
    {"+:", NULL, NULL, 0, 0},       {"-:", NULL, NULL, 0, 0},
    {"<", "<=", "lt>le", 1, 0},     {">", ">=", "gt>ge", 1, 0},
    {"&", "|", "band>bor", 1, 0},   {"|", "&", "bor>band", 1, 0},
    {"+", "-", "plus>minus", 1, 0}, {"-", "+", "minus>plus", 1, 0},
};

/* Position i sits in the width of a cast, "(W + 1)'(x)": any width that holds the value gives
 * the same result, so moving a number or swapping an operator there tests nothing. */
static int in_cast_width(const char *line, size_t i, size_t code_len)
{
    int depth = 0;
    for (size_t k = i; k < code_len; k++) {
        if (line[k] == '(')
            depth++;
        else if (line[k] == ')') {
            if (depth == 0)
                return line[k + 1] == '\'';
            depth--;
        } else if (line[k] == ';' || line[k] == ',')
            return 0;
    }
    return 0;
}

static int scan_operators(pim_mutants *out, const char *file, uint32_t ln, const char *line,
                          size_t code_len)
{
    int depth = 0;
    for (size_t i = 0; i < code_len;) {
        const char c = line[i];
        if (c == '(') {
            depth++;
            i++;
            continue;
        }
        if (c == ')') {
            depth--;
            i++;
            continue;
        }
        size_t used = 1;
        for (size_t k = 0; k < sizeof k_swaps / sizeof k_swaps[0]; k++) {
            const swap *w = &k_swaps[k];
            const size_t n = strlen(w->tok);
            if (i + n > code_len || strncmp(line + i, w->tok, n) != 0)
                continue;
            used = n;
            if (!w->rep || (w->binary && !is_operand_end(prev_char(line, i))) ||
                (w->in_expr && depth <= 0) || in_cast_width(line, i, code_len))
                break;
            if (replace(out, file, ln, line, i, n, w->rep, w->op) != 0)
                return -1;
            break;
        }
        i += used;
    }
    return 0;
}

/* Constants: sized literals N'[s]dV / N'bV / N'hV moved by one, '0 <-> '1, and plain
 * decimal numbers (not widths, not inside brackets) moved by one. */
static int scan_constants(pim_mutants *out, const char *file, uint32_t ln, const char *line,
                          size_t code_len)
{
    int bracket = 0;
    for (size_t i = 0; i < code_len; i++) {
        const char c = line[i];
        if (c == '[')
            bracket++;
        else if (c == ']')
            bracket--;
        if (c == '\'' && (line[i + 1] == '0' || line[i + 1] == '1') &&
            !isalnum((unsigned char)(i ? line[i - 1] : ' ')) &&
            !isalnum((unsigned char)line[i + 2])) {
            if (replace(out, file, ln, line, i + 1, 1, line[i + 1] == '0' ? "1" : "0",
                        "fill-flip") != 0)
                return -1;
            continue;
        }
        if (!isdigit((unsigned char)c) || (i && (isalnum((unsigned char)line[i - 1]) ||
                                                 line[i - 1] == '_' || line[i - 1] == '$' ||
                                                 line[i - 1] == '\'')))
            continue;
        if (in_cast_width(line, i, code_len))
            continue;
        size_t j = i;
        while (j < code_len && isdigit((unsigned char)line[j]))
            j++;
        if (line[j] == '\'') { /* a width: N'... */
            size_t v = j + 1, base = 10;
            if (line[v] == 's')
                v++;
            if (line[v] == 'd' || line[v] == 'b' || line[v] == 'h') {
                base = line[v] == 'd' ? 10 : line[v] == 'b' ? 2 : 16;
                v++;
                size_t e = v;
                while (e < code_len && isxdigit((unsigned char)line[e]))
                    e++;
                if (e > v && e - v < 16) {
                    char digits[20], rep[40];
                    snprintf(digits, sizeof digits, "%.*s", (int)(e - v), line + v);
                    const unsigned long long val = strtoull(digits, NULL, (int)base);
                    const unsigned long long width = strtoull(line + i, NULL, 10);
                    for (int d = -1; d <= 1; d += 2) {
                        if ((d < 0 && val == 0) || (d > 0 && width < 64 && val + 1 >= (1ull << width)))
                            continue;
                        if (base == 10)
                            snprintf(rep, sizeof rep, "%llu", val + (unsigned long long)d);
                        else if (base == 16)
                            snprintf(rep, sizeof rep, "%llx", val + (unsigned long long)d);
                        else {
                            unsigned long long x = val + (unsigned long long)d;
                            char b[70];
                            int k = 0;
                            do {
                                b[k++] = (char)('0' + (x & 1));
                                x >>= 1;
                            } while (x && k < 64);
                            for (int q = 0; q < k; q++)
                                rep[q] = b[k - 1 - q];
                            rep[k] = '\0';
                        }
                        if (replace(out, file, ln, line, v, e - v, rep, d > 0 ? "const+1" : "const-1") != 0)
                            return -1;
                    }
                }
                i = e;
            } else {
                i = j;
            }
            continue;
        }
        if (bracket > 0 || isalpha((unsigned char)line[j]) || line[j] == '_') {
            i = j;
            continue;
        }
        const unsigned long long val = strtoull(line + i, NULL, 10);
        char rep[32];
        for (int d = -1; d <= 1; d += 2) {
            if (d < 0 && val == 0)
                continue;
            snprintf(rep, sizeof rep, "%llu", val + (unsigned long long)d);
            if (replace(out, file, ln, line, i, j - i, rep, d > 0 ? "const+1" : "const-1") != 0)
                return -1;
        }
        i = j;
    }
    return 0;
}

/* if (c) -> if (!(c)) for every `if (` of the line. */
static int scan_conditions(pim_mutants *out, const char *file, uint32_t ln, const char *line,
                           size_t code_len)
{
    for (const char *p = line; (p = strstr(p, "if (")) && (size_t)(p - line) < code_len; p += 4) {
        if (p > line && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
            continue;
        const size_t open = (size_t)(p - line) + 3;
        int depth = 0;
        size_t close = open;
        for (; close < code_len; close++) {
            depth += line[close] == '(' ? 1 : line[close] == ')' ? -1 : 0;
            if (depth == 0)
                break;
        }
        if (close >= code_len)
            continue;
        char after[512];
        snprintf(after, sizeof after, "%.*s(!%.*s)%s", (int)open, line, (int)(close - open + 1),
                 line + open, line + close + 1);
        if (push(out, file, ln, (uint32_t)(p - line) + 1, "if-invert", line, after) != 0)
            return -1;
    }
    return 0;
}

/* A line that is one assignment ("x = e;", "x <= e;", "assign x = e;") is dropped. */
static int scan_drop(pim_mutants *out, const char *file, uint32_t ln, const char *line,
                     size_t code_len)
{
    size_t b = 0;
    while (b < code_len && (line[b] == ' ' || line[b] == '\t'))
        b++;
    size_t e = code_len;
    while (e > b && (line[e - 1] == ' ' || line[e - 1] == '\t'))
        e--;
    if (e <= b || line[e - 1] != ';')
        return 0;
    const char *s = line + b;
    const int is_assign = starts_with_word(s, "assign");
    if (!is_assign && !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return 0;
    static const char *const kw[] = {"if", "else", "case", "begin", "end", "return", "default",
                                     NULL};
    for (const char *const *k = kw; *k; k++)
        if (starts_with_word(s, *k))
            return 0;
    /* exactly one statement, and an assignment: a '=' that is not part of ==, <=, >=, != in
     * an expression (the target has no parentheses) */
    int semis = 0;
    for (size_t i = b; i < e; i++)
        semis += line[i] == ';';
    const char *eq = strchr(s, '=');
    if (semis != 1 || !eq || (size_t)(eq - line) >= e || memchr(s, '(', (size_t)(eq - s)) ||
        memchr(s, '?', (size_t)(eq - s)))
        return 0;
    /* a case item ("pim_pkg::OpVvmul:   pre = prod;") keeps its label: the item does nothing */
    size_t label = 0;
    for (const char *c = s; c < eq && !label; c++)
        if (*c == ':' && c[1] != ':' && (c == s || c[-1] != ':') && !memchr(s, '[', (size_t)(c - s)))
            label = (size_t)(c + 1 - s);
    while (label && s[label] == ' ')
        label++;
    char after[512];
    /* a procedural statement becomes the empty statement (an if's body stays an if's body);
     * a continuous assignment a comment */
    if (is_assign)
        snprintf(after, sizeof after, "%.*s// (dropped) %.*s", (int)b, line, (int)(e - b), s);
    else
        snprintf(after, sizeof after, "%.*s;  // (dropped)", (int)(b + label), line);
    return push(out, file, ln, (uint32_t)(b + label) + 1, "drop", line, after);
}

/* ------------------------------------------------------------------ block temporaries */

/* The temporaries declared inside the current always block or function: their default
 * assignments ("t = '0;", written so that no latch is inferred and assigned again before
 * every read) make only equivalent mutants, so they are left alone. */
typedef struct locals {
    int depth;       /* begin/end depth inside the block (0: not in a block) */
    int in_func;
    char names[2048]; /* " a b c " */
} locals;

static int count_word(const char *s, const char *w)
{
    int n = 0;
    const size_t l = strlen(w);
    for (const char *p = s; (p = strstr(p, w)); p += l)
        if ((p == s || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
            !(isalnum((unsigned char)p[l]) || p[l] == '_'))
            n++;
    return n;
}

/* Follows the block structure and records the block's declarations. */
static void track_locals(locals *b, const char *code)
{
    if (strstr(code, "always") || starts_with_word(code, "function")) {
        b->names[0] = '\0';
        b->in_func = starts_with_word(code, "function");
        b->depth = count_word(code, "begin") + (b->in_func ? 1 : 0);
        return;
    }
    if (starts_with_word(code, "endfunction")) {
        b->depth = 0;
        b->in_func = 0;
        return;
    }
    if (b->depth <= 0)
        return;
    if (starts_with_word(code, "logic") || starts_with_word(code, "int")) {
        const char *p = code;
        while (*p == ' ' || *p == '\t')
            p++;
        p += starts_with_word(p, "logic") ? 5 : 3;
        for (;;) { /* skip "signed" and widths */
            while (*p == ' ' || *p == '\t')
                p++;
            if (starts_with_word(p, "signed") || starts_with_word(p, "unsigned"))
                p += strcspn(p, " \t");
            else if (*p == '[')
                p = strchr(p, ']') ? strchr(p, ']') + 1 : p + strlen(p);
            else
                break;
        }
        char name[64];
        while (*p && *p != ';') {
            size_t k = 0;
            while (*p == ' ' || *p == ',' || *p == '\t')
                p++;
            while ((isalnum((unsigned char)*p) || *p == '_') && k < sizeof name - 1)
                name[k++] = *p++;
            name[k] = '\0';
            if (k && strlen(b->names) + k + 3 < sizeof b->names) {
                strcat(b->names, " ");
                strcat(b->names, name);
                strcat(b->names, " ");
            }
            if (!k)
                p++;
        }
        return;
    }
    b->depth += count_word(code, "begin") - count_word(code, "end");
}

/* "t = CONST;" for a temporary t of the block. */
static int is_temp_default(const locals *b, const char *code)
{
    if (b->depth <= 0 && !b->in_func)
        return 0;
    const char *p = code;
    while (*p == ' ' || *p == '\t')
        p++;
    char name[70] = " ";
    size_t k = 1;
    while ((isalnum((unsigned char)*p) || *p == '_') && k < sizeof name - 2)
        name[k++] = *p++;
    name[k++] = ' ';
    name[k] = '\0';
    if (k < 3 || !strstr(b->names, name))
        return 0;
    while (*p == ' ')
        p++;
    if (*p++ != '=')
        return 0;
    while (*p == ' ')
        p++;
    const size_t c = strspn(p, "0123456789'sdbh");
    return c > 0 && strspn(p + c, " ;") == strlen(p + c) && strchr(p + c, ';');
}

int pim_mutants_of_text(const char *file, const char *text, pim_mutants *out)
{
    pp s;
    memset(&s, 0, sizeof s);
    locals blk;
    memset(&blk, 0, sizeof blk);
    uint32_t ln = 0;
    int in_block_comment = 0;
    for (const char *p = text; *p;) {
        const char *eol = strchr(p, '\n');
        const size_t len = eol ? (size_t)(eol - p) : strlen(p);
        ln++;
        char line[512];
        if (len <= LINE_MAX_LEN) {
            snprintf(line, sizeof line, "%.*s", (int)len, p);
            const char *cm = strstr(line, "//");
            size_t code_len = cm ? (size_t)(cm - line) : strlen(line);
            const char *bo = strstr(line, "/*");
            if (in_block_comment) {
                if (strstr(line, "*/"))
                    in_block_comment = 0;
                code_len = 0;
            } else if (bo && (size_t)(bo - line) < code_len) {
                in_block_comment = strstr(bo, "*/") == NULL;
                code_len = (size_t)(bo - line);
            }
            char code[512];
            snprintf(code, sizeof code, "%.*s", (int)code_len, line);
            const int dir = directive(&s, code);
            if (!dir)
                track_locals(&blk, code);
            if (!dir && !skipping(&s) && code_len > 0 && !not_logic(code) &&
                !is_temp_default(&blk, code)) {
                if (scan_operators(out, file, ln, line, code_len) != 0 ||
                    scan_constants(out, file, ln, line, code_len) != 0 ||
                    scan_conditions(out, file, ln, line, code_len) != 0 ||
                    scan_drop(out, file, ln, line, code_len) != 0)
                    return -1;
            }
        }
        p += len + (eol ? 1 : 0);
    }
    return 0;
}

/* ------------------------------------------------------------------ files */

static char *slurp(const char *path, size_t max)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *s = malloc(max + 1);
    const size_t k = s ? fread(s, 1, max, f) : 0;
    fclose(f);
    if (s)
        s[k] = '\0';
    return s;
}

int pim_mutants_generate(const char *root, const char *const *files, pim_mutants *out,
                         char *msg, size_t n)
{
    for (const char *const *f = files; *f; f++) {
        char path[1200];
        snprintf(path, sizeof path, "%s/%s", root, *f);
        char *text = slurp(path, 1u << 20);
        if (!text) {
            snprintf(msg, n, "%s: cannot be read", path);
            return -1;
        }
        const int rc = pim_mutants_of_text(*f, text, out);
        free(text);
        if (rc != 0) {
            snprintf(msg, n, "out of memory");
            return -1;
        }
    }
    return 0;
}

void pim_mutants_sample(pim_mutants *m, size_t k, uint64_t seed)
{
    if (k == 0 || k >= m->n)
        return;
    size_t *idx = malloc(m->n * sizeof *idx);
    if (!idx)
        return;
    for (size_t i = 0; i < m->n; i++)
        idx[i] = i;
    uint64_t s = seed;
    for (size_t i = m->n - 1; i > 0; i--) { /* Fisher-Yates */
        const size_t j = (size_t)(pim_splitmix64(&s) % (i + 1));
        const size_t t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
    }
    unsigned char *keep = calloc(m->n, 1);
    if (keep) {
        for (size_t i = 0; i < k; i++)
            keep[idx[i]] = 1;
        size_t w = 0;
        for (size_t i = 0; i < m->n; i++)
            if (keep[i])
                m->v[w++] = m->v[i];
        m->n = w;
    }
    free(keep);
    free(idx);
}

void pim_mutants_free(pim_mutants *m)
{
    free(m->v);
    memset(m, 0, sizeof *m);
}

char *pim_mutant_apply_text(const pim_mutant *m, const char *src)
{
    const char *p = src;
    for (uint32_t l = 1; l < m->line && p; l++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    if (!p)
        return NULL;
    const char *eol = strchr(p, '\n');
    const size_t len = eol ? (size_t)(eol - p) : strlen(p);
    if (len != strlen(m->before) || strncmp(p, m->before, len) != 0)
        return NULL;
    const size_t head = (size_t)(p - src), tail = strlen(p + len);
    char *o = malloc(head + strlen(m->after) + tail + 1);
    if (!o)
        return NULL;
    memcpy(o, src, head);
    memcpy(o + head, m->after, strlen(m->after));
    memcpy(o + head + strlen(m->after), p + len, tail + 1);
    return o;
}

int pim_mutant_apply(const pim_mutant *m, const char *dir)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, m->file);
    char *src = slurp(path, 1u << 20);
    if (!src)
        return -1;
    char *o = pim_mutant_apply_text(m, src);
    free(src);
    if (!o)
        return -1;
    FILE *f = fopen(path, "wb");
    if (!f) {
        free(o);
        return -1;
    }
    int rc = fputs(o, f) >= 0 ? 0 : -1;
    if (fclose(f) != 0)
        rc = -1;
    free(o);
    return rc;
}
