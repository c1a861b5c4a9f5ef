/*
 * pim_opt.h - the one option parser of the pimcosim commands: each command describes its
 * options in a table (name, type, range, value name, help text) and its positional
 * arguments, and pim_opt_parse reads the command line, prints --help, and refuses a
 * mistake in one line on stderr. The help text and the errors come from that table only.
 *
 * Forms: "--name VALUE" and "--name=VALUE"; a flag takes no value; an option with an
 * optional value (PIM_OPT_CHOICE with `optional`) takes it only as "--name=VALUE".
 */
#ifndef PIM_OPT_H
#define PIM_OPT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum pim_opt_type {
    PIM_OPT_FLAG,   /* no value: stores `set` (an int) */
    PIM_OPT_UINT,   /* an unsigned integer in [lo, hi] (decimal, or 0x hex) into an unsigned
                     * or int object of `size` bytes (1, 2, 4 or 8) */
    PIM_OPT_STR,    /* any string: stores the pointer (const char *), borrowed from argv */
    PIM_OPT_CHOICE, /* one of `choices` ("fst|vcd"): stores its index + 1 (an int) */
    PIM_OPT_FN      /* parsed by fn(ud, value, msg, n): 0, or -1 with the reason in msg */
} pim_opt_type;

typedef struct pim_opt {
    const char *name;    /* "--jobs", "-o" */
    pim_opt_type type;
    void *dst;           /* where the value goes (PIM_OPT_FN: passed to fn as ud) */
    size_t size;         /* PIM_OPT_UINT: sizeof *dst */
    uint64_t lo, hi;     /* PIM_OPT_UINT: the range */
    const char *meta;    /* the value's name in the help ("N", "FILE"); NULL for a flag */
    const char *help;    /* one or more lines ('\n' between them) */
    int set;             /* PIM_OPT_FLAG: the value stored */
    const char *choices; /* PIM_OPT_CHOICE: "a|b|c" */
    int optional;        /* PIM_OPT_CHOICE: the value may be left out (stores 1: the first) */
    int (*fn)(void *ud, const char *value, char *msg, size_t n); /* PIM_OPT_FN */
    int *given;          /* not NULL: set to 1 when the option is given */
} pim_opt;

/* A command's interface. */
typedef struct pim_cmd {
    const char *name;    /* "run", "run --stream": in the usage line and every error */
    const char *usage;   /* what follows the name in the usage line ("[options] PATH...") */
    const char *about;   /* what the command does: a paragraph, lines ending in '\n' */
    const char *epilog;  /* after the options ("Exit: ..."), lines ending in '\n' */
    const pim_opt *opts;
    size_t n_opts;
    /* Positional arguments: each one to positional(ud, arg), which returns 0, or -1 after
     * saying why on stderr. At most max_pos of them (-1: any number); NULL: none taken. */
    int (*positional)(void *ud, const char *arg);
    void *pos_ud;
    int max_pos;
} pim_cmd;

/* A positional callback for a command that takes one argument: stores it in *(const char
 * **)ud. */
int pim_opt_take(void *ud, const char *arg);

/* Reads argv[0..argc) (the command's arguments, without its name) against c. Returns 0 to
 * go on, 1 after printing the help (--help or -h anywhere), 2 after a one-line error on
 * stderr ("pimcosim NAME: ..."). */
int pim_opt_parse(const pim_cmd *c, int argc, char **argv);

/* The help text of c: usage line, about, the options' table, epilog. */
void pim_opt_help(const pim_cmd *c, FILE *out);

/* "pimcosim NAME: <message>\n" on stderr; returns 2 (PIM_EXIT_BAD_INPUT). */
int pim_opt_fail(const pim_cmd *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* PIM_OPT_H */
