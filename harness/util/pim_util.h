/*
 * pim_util.h - small helpers every part of the harness shares: the monotonic clock,
 * `mkdir -p`, FNV-1a, a list of owned strings, number parsing, the project root.
 *
 * The harness's bottom layer: it includes only include/ and the C library, and nothing in
 * golden/ uses it (the golden model keeps its own memory hash, pim_hash_bytes).
 */
#ifndef PIM_UTIL_H
#define PIM_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Seconds on the monotonic clock (for durations only). */
double pim_now(void);

/* mkdir -p path. Returns 0, or -1 when a component cannot be created (errno set); callers
 * that only write files below it may ignore the result and let the write fail. */
int pim_mkdirs(const char *path);
/* The directory part of path into dir (n bytes): "a/b/c.json" -> "a/b", "c.json" -> ".". */
void pim_path_dir(const char *path, char *dir, size_t n);

/* 64-bit FNV-1a: the offset basis, and h updated with n bytes of p. Byte-wise, so the same
 * text gives the same hash on every machine (shards of a suite, the RTL source hash). */
#define PIM_FNV1A_INIT 0xcbf29ce484222325ull
uint64_t pim_fnv1a(uint64_t h, const void *p, size_t n);
/* pim_fnv1a(PIM_FNV1A_INIT, s, strlen(s)). */
uint64_t pim_fnv1a_str(const char *s);

/* A growable list of owned strings. Zero-initialize; free with pim_paths_free. */
typedef struct pim_paths {
    char **v;
    size_t n, cap;
} pim_paths;

/* Appends a copy of s. Returns 0, or -1 when out of memory (the list is unchanged). */
int pim_paths_push(pim_paths *l, const char *s);
/* 1 when the list holds a string equal to s. */
int pim_paths_has(const pim_paths *l, const char *s);
void pim_paths_free(pim_paths *l); /* frees the strings and the array; the list is empty */
/* Sorts the list (strcmp order), so runs are deterministic. */
void pim_paths_sort(pim_paths *l);

/* Parses a non-negative integer: decimal digits, or 0x and hex digits, at most 2^64 - 1
 * (no sign, no space). 0 with *out set, or -1 (*out untouched). */
int pim_parse_u64(const char *s, uint64_t *out);

/* The project root into root (n bytes): two levels above the running binary
 * (build/pimcosim), else ".". */
void pim_project_root(char *root, size_t n);
/* The first line a shell command prints on stdout (without its newline, at most n - 1
 * bytes) into out; `dflt` when it prints nothing or cannot run. The rest is read and
 * dropped. */
void pim_first_line(const char *cmd, const char *dflt, char *out, size_t n);

#endif /* PIM_UTIL_H */
