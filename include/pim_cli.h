/*
 * pim_cli.h - helpers the pimcosim commands share: collecting vector files, parsing
 * numbers, finding the project root.
 */
#ifndef PIM_CLI_H
#define PIM_CLI_H

#include <stddef.h>
#include <stdint.h>

/* A growable list of owned strings. Zero-initialize; free with pim_paths_free. */
typedef struct pim_paths {
    char **v;
    size_t n, cap;
} pim_paths;

/* Appends a copy of s. Returns 0, or -1 when out of memory. */
int pim_paths_push(pim_paths *l, const char *s);
void pim_paths_free(pim_paths *l);
/* Sorts the list (strcmp order), so runs are deterministic. */
void pim_paths_sort(pim_paths *l);

/* Adds path: a file as it is, or every *.json / *.json.gz below a directory (recursively;
 * hidden entries and directories named "configs" are skipped). Returns 0, or -1 after
 * printing a one-line error on stderr. */
int pim_collect_vectors(pim_paths *l, const char *path);

/* Parses a non-negative decimal (or 0x hex) integer; 0 on success, -1 otherwise. */
int pim_parse_u64(const char *s, uint64_t *out);

/* The project root: two levels above the running binary (build/pimcosim), else ".". */
void pim_project_root(char *root, size_t n);

/* Seconds on the monotonic clock (for durations). */
double pim_now(void);

/* One test case of a JUnit XML report. */
typedef struct pim_junit_case {
    const char *classname; /* written as "pimcosim.<classname>" */
    const char *name;
    const char *file;
    double secs;
    int outcome;           /* 0 passed, 1 failure, 2 error */
    const char *type;      /* the failure's or error's type ("FAIL", "TIMEOUT", ...) */
    const char *msg;       /* its message */
} pim_junit_case;

/* Writes a JUnit XML report of n cases in one test suite. Returns 0, or -1 when the file
 * cannot be written. */
int pim_junit_write(const char *file, const char *suite, const pim_junit_case *c, size_t n);

#endif
