/*
 * file.c - reading a whole file, plain or gzipped through zlib (pim_load.h).
 */
#include "pim_load.h"
#include "load_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static pim_status io_error(pim_error *err, const char *path, const char *what)
{
    pim_error_set(err, PIM_E_IO, -1, -1, "", "%s", what);
    pim_error_set_file(err, path);
    return PIM_E_IO;
}

pim_status pim_read_file(const char *path, char **buf, size_t *len, pim_error *err)
{
    *buf = NULL;
    *len = 0;
    /* gzopen reads plain files transparently too; use it only for .gz to keep errors plain */
    if (ends_with(path, ".gz")) {
        gzFile f = gzopen(path, "rb");
        if (!f)
            return io_error(err, path, errno ? strerror(errno) : "cannot open");
        gzbuffer(f, 1u << 17);
        size_t cap = 1u << 20, n = 0;
        char *b = malloc(cap + 1);
        if (!b) {
            gzclose(f);
            return io_error(err, path, "out of memory");
        }
        for (;;) {
            if (n == cap) {
                char *q = realloc(b, 2 * cap + 1);
                if (!q) {
                    free(b);
                    gzclose(f);
                    return io_error(err, path, "out of memory");
                }
                b = q;
                cap *= 2;
            }
            const unsigned want = (unsigned)((cap - n) > (1u << 30) ? (1u << 30) : (cap - n));
            int got = gzread(f, b + n, want);
            if (got < 0) {
                int zerr = 0;
                const char *msg = gzerror(f, &zerr);
                char what[200];
                snprintf(what, sizeof what, "gzip: %s", msg ? msg : "read error");
                free(b);
                gzclose(f);
                return io_error(err, path, what);
            }
            if (got == 0)
                break;
            n += (size_t)got;
        }
        gzclose(f);
        b[n] = '\0';
        *buf = b;
        *len = n;
        return PIM_OK;
    }
    FILE *f = fopen(path, "rb");
    if (!f)
        return io_error(err, path, strerror(errno));
    if (fseek(f, 0, SEEK_END) != 0) {
        fclose(f);
        return io_error(err, path, "cannot seek (not a regular file?)");
    }
    long sz = ftell(f);
    if (sz < 0) {
        fclose(f);
        return io_error(err, path, "cannot tell the size");
    }
    rewind(f);
    char *b = malloc((size_t)sz + 1);
    if (!b) {
        fclose(f);
        return io_error(err, path, "out of memory");
    }
    size_t got = fread(b, 1, (size_t)sz, f);
    int bad = ferror(f);
    fclose(f);
    if (bad || got != (size_t)sz) {
        free(b);
        return io_error(err, path, "read error");
    }
    b[got] = '\0';
    *buf = b;
    *len = got;
    return PIM_OK;
}
