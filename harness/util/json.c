/* json.c - building JSON documents with cJSON, and writing them (pim_json.h). */
#include "pim_json.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>

static void note(pim_jb *b, const void *added)
{
    if (!added)
        b->oom = 1;
}

void pim_jb_num(pim_jb *b, cJSON *o, const char *key, double v)
{
    if (o)
        note(b, cJSON_AddNumberToObject(o, key, v));
}

void pim_jb_str(pim_jb *b, cJSON *o, const char *key, const char *s)
{
    if (o)
        note(b, cJSON_AddStringToObject(o, key, s ? s : ""));
}

void pim_jb_bool(pim_jb *b, cJSON *o, const char *key, int v)
{
    if (o)
        note(b, cJSON_AddBoolToObject(o, key, v != 0));
}

cJSON *pim_jb_obj(pim_jb *b, cJSON *o, const char *key)
{
    cJSON *x = o ? cJSON_AddObjectToObject(o, key) : NULL;
    if (o)
        note(b, x);
    return x;
}

cJSON *pim_jb_arr(pim_jb *b, cJSON *o, const char *key)
{
    cJSON *x = o ? cJSON_AddArrayToObject(o, key) : NULL;
    if (o)
        note(b, x);
    return x;
}

void pim_jb_add(pim_jb *b, cJSON *o, const char *key, cJSON *item)
{
    const int ok = o && item && (key ? cJSON_AddItemToObject(o, key, item)
                                     : cJSON_AddItemToArray(o, item));
    if (!ok) {
        cJSON_Delete(item);
        b->oom = 1;
    }
}

void pim_jb_strings(pim_jb *b, cJSON *o, const char *key, char *const *s, size_t n)
{
    cJSON *a = pim_jb_arr(b, o, key);
    for (size_t i = 0; a && i < n; i++)
        pim_jb_add(b, a, NULL, cJSON_CreateString(s[i]));
}

void pim_jb_regions(pim_jb *b, cJSON *arr, uint64_t base, const uint8_t *bytes, uint64_t n,
                    uint64_t chunk)
{
    static const char digits[] = "0123456789abcdef";
    if (!arr)
        return;
    if (chunk == 0 || chunk > n)
        chunk = n;
    char *hex = malloc(2 * chunk + 1);
    if (!hex) {
        b->oom = 1;
        return;
    }
    uint64_t at = 0;
    do {
        const uint64_t len = n - at < chunk ? n - at : chunk;
        for (uint64_t i = 0; i < len; i++) {
            hex[2 * i] = digits[bytes[at + i] >> 4];
            hex[2 * i + 1] = digits[bytes[at + i] & 15];
        }
        hex[2 * len] = '\0';
        cJSON *r = cJSON_CreateObject();
        pim_jb_num(b, r, "addr", (double)(base + at));
        pim_jb_str(b, r, "hex", hex);
        pim_jb_add(b, arr, NULL, r);
        at += len;
    } while (at < n);
    free(hex);
}

int pim_json_write_file(const char *path, const cJSON *root)
{
    char *s = cJSON_Print(root);
    FILE *f = s ? fopen(path, "w") : NULL;
    int rc = f && fputs(s, f) >= 0 && fputc('\n', f) != EOF ? 0 : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    free(s);
    return rc;
}
