/*
 * pim_json.h - building JSON documents with cJSON (reports, bundles, generated vectors) and
 * writing them to files.
 *
 * cJSON's add functions return NULL when memory is short; a builder remembers that once
 * (b->oom) instead of every caller checking every call. Every function accepts a NULL
 * parent (what an earlier failed call returned) and then does nothing, so a document is
 * built straight through and checked at the end.
 */
#ifndef PIM_JSON_H
#define PIM_JSON_H

#include <stddef.h>
#include <stdint.h>

struct cJSON;

typedef struct pim_jb {
    int oom; /* 1: some member could not be added (out of memory) */
} pim_jb;

/* Members of object o (NULL: nothing, b->oom stays as it is). The cJSON_Add* functions,
 * remembering a failure in b->oom. */
void pim_jb_num(pim_jb *b, struct cJSON *o, const char *key, double v);
void pim_jb_str(pim_jb *b, struct cJSON *o, const char *key, const char *s);
void pim_jb_bool(pim_jb *b, struct cJSON *o, const char *key, int v);
/* A new object / array member of o; NULL when it could not be added. Owned by o. */
struct cJSON *pim_jb_obj(pim_jb *b, struct cJSON *o, const char *key);
struct cJSON *pim_jb_arr(pim_jb *b, struct cJSON *o, const char *key);
/* Adds item (owned from now on; NULL counts as out of memory) under key, or to the end of
 * an array when key is NULL. On failure item is freed. */
void pim_jb_add(pim_jb *b, struct cJSON *o, const char *key, struct cJSON *item);
/* An array of n strings under key. */
void pim_jb_strings(pim_jb *b, struct cJSON *o, const char *key, char *const *s, size_t n);
/* Memory regions {"addr": A, "hex": "..."} covering bytes[0, n) from address base, each of
 * at most `chunk` bytes (0: one region), appended to array arr. */
void pim_jb_regions(pim_jb *b, struct cJSON *arr, uint64_t base, const uint8_t *bytes, uint64_t n,
                    uint64_t chunk);

/* Writes root as indented JSON and a newline to path (replacing it). Returns 0, or -1 when
 * it cannot be printed or written (errno tells why for the write). */
int pim_json_write_file(const char *path, const struct cJSON *root);

#endif /* PIM_JSON_H */
