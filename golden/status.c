/* status.c - the error record (pim_status.h). */
#include "pim_status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void copy_str(char *dst, size_t n, const char *src)
{
    if (!src)
        src = "";
    size_t l = strlen(src);
    if (l >= n)
        l = n - 1;
    memcpy(dst, src, l);
    dst[l] = '\0';
}

void pim_error_clear(pim_error *e)
{
    if (!e)
        return;
    memset(e, 0, sizeof *e);
    e->status = PIM_OK;
    e->core = -1;
    e->index = -1;
}

pim_status pim_error_set(pim_error *e, pim_status status, long core, long index,
                         const char *field, const char *fmt, ...)
{
    if (!e)
        return status;
    /* formatted aside first: the arguments may point into *e (its own message or field) */
    char msg[sizeof e->msg], fld[sizeof e->field];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    copy_str(fld, sizeof fld, field);
    e->status = status;
    e->file[0] = '\0';
    e->op[0] = '\0';
    e->core = core;
    e->index = index;
    memcpy(e->field, fld, sizeof fld);
    memcpy(e->msg, msg, sizeof msg);
    return status;
}

void pim_error_set_file(pim_error *e, const char *file)
{
    if (e)
        copy_str(e->file, sizeof e->file, file);
}

void pim_error_set_op(pim_error *e, const char *op)
{
    if (e)
        copy_str(e->op, sizeof e->op, op);
}

char *pim_error_format(const pim_error *e, char *buf, size_t n)
{
    if (!buf || n == 0)
        return buf;
    size_t used = 0;
    buf[0] = '\0';
#define PUT(...)                                                                   \
    do {                                                                           \
        if (used < n) {                                                            \
            int k_ = snprintf(buf + used, n - used, __VA_ARGS__);                  \
            used += k_ > 0 ? (size_t)k_ : 0;                                       \
        }                                                                          \
    } while (0)
    const char *sep = "";
    if (e->file[0]) {
        PUT("%s", e->file);
        sep = ": ";
    }
    if (e->core >= 0) {
        PUT("%score %ld", sep, e->core);
        sep = ", ";
    }
    if (e->index >= 0) {
        PUT("%sinstruction %ld", sep, e->index);
        if (e->op[0])
            PUT(" (%s)", e->op);
        sep = ", ";
    } else if (e->op[0]) {
        PUT("%s%s", sep, e->op);
        sep = ", ";
    }
    if (e->field[0]) {
        PUT("%sfield '%s'", sep, e->field);
        sep = ": ";
    } else if (*sep) {
        sep = ": ";
    }
    PUT("%s%s", sep, e->msg);
#undef PUT
    /* one line: replace any newline that slipped into a message */
    for (char *p = buf; *p; p++)
        if (*p == '\n')
            *p = ' ';
    return buf;
}

const char *pim_status_name(pim_status s)
{
    switch (s) {
    case PIM_OK: return "ok";
    case PIM_E_INPUT: return "input";
    case PIM_E_EXEC: return "exec";
    case PIM_E_DEADLOCK: return "deadlock";
    case PIM_E_IO: return "io";
    case PIM_E_NOMEM: return "nomem";
    case PIM_E_MISMATCH: return "mismatch";
    }
    return "unknown";
}

int pim_status_exit_code(pim_status s)
{
    if (s == PIM_OK)
        return PIM_EXIT_PASS;
    if (s == PIM_E_MISMATCH)
        return PIM_EXIT_MISMATCH;
    return PIM_EXIT_BAD_INPUT;
}
