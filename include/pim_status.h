/*
 * pim_status.h - status codes and the error record shared by every pimcosim module.
 *
 * Every fallible call returns a pim_status and, on failure, fills a caller-supplied
 * pim_error (never a global). The record names what a user needs to find the fault:
 * the file, the core, the instruction index, the op and the field.
 */
#ifndef PIM_STATUS_H
#define PIM_STATUS_H

#include <stddef.h>

typedef enum pim_status {
    PIM_OK = 0,        /* success */
    PIM_E_INPUT,       /* malformed or out-of-range input, refused at load time */
    PIM_E_EXEC,        /* execution error: bad address, undefined overlap, bad group... */
    PIM_E_DEADLOCK,    /* every unfinished core is blocked */
    PIM_E_IO,          /* a file could not be read or written */
    PIM_E_NOMEM,       /* allocation failed */
    PIM_E_MISMATCH     /* the design under test or a vector's expectation disagrees */
} pim_status;

/* Exit codes of the command line tool (see README): 0 pass, 1 mismatch, 2 bad input. */
enum { PIM_EXIT_PASS = 0, PIM_EXIT_MISMATCH = 1, PIM_EXIT_BAD_INPUT = 2 };

#define PIM_ERROR_MSG_MAX 384

typedef struct pim_error {
    pim_status status;
    char file[256];   /* "" when no file is involved */
    long core;        /* -1 when not tied to a core */
    long index;       /* instruction index within the core, -1 when none */
    char op[12];      /* op name, "" when none */
    char field[64];   /* offending field, "" when none */
    char msg[PIM_ERROR_MSG_MAX];
} pim_error;

/* Resets *e to "no error" (status PIM_OK, core/index -1, empty strings). NULL is ignored. */
void pim_error_clear(pim_error *e);

/* Records an error in *e (NULL is ignored), replacing whatever it held, and returns status,
 * so callers can write `return pim_error_set(e, PIM_E_INPUT, core, idx, "len", "...")`.
 * File and op start empty: set them afterwards with pim_error_set_file/pim_error_set_op. */
pim_status pim_error_set(pim_error *e, pim_status status, long core, long index,
                         const char *field, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Sets the file name / op name of an error record (copies; truncates to fit). */
void pim_error_set_file(pim_error *e, const char *file);
void pim_error_set_op(pim_error *e, const char *op);

/* Formats the error as one line without a newline, e.g.
 * "vec.json: core 2, instruction 17 (vvadd), field 'len': 3000 does not fit 11 bits".
 * Writes at most n bytes including the NUL; returns buf. */
char *pim_error_format(const pim_error *e, char *buf, size_t n);

/* Short name of a status ("input", "exec", "deadlock", ...). */
const char *pim_status_name(pim_status s);

/* Process exit code for a status: 0 for PIM_OK, 1 for PIM_E_MISMATCH, 2 otherwise. */
int pim_status_exit_code(pim_status s);

#endif /* PIM_STATUS_H */
