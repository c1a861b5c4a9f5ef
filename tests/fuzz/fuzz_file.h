/*
 * fuzz_file.h - what the libFuzzer harnesses share: the loaders read files, so each input is
 * written to a file of the harness's own (one per process, in $TMPDIR or /tmp, removed at
 * exit), plain or gzipped with zlib, and loaded from there. The budget every harness loads
 * with is FUZZ_MAX_MEMORY: far below libFuzzer's -rss_limit_mb, so an input that makes the
 * loaders allocate past it is a finding.
 */
#ifndef FUZZ_FILE_H
#define FUZZ_FILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define FUZZ_MAX_MEMORY ((uint64_t)256 << 20)

typedef struct fuzz_file {
    char path[256];
} fuzz_file;

static inline void fuzz_file_remove(fuzz_file *f)
{
    if (f->path[0])
        unlink(f->path);
}

/* Names the file (suffix ".json", ".json.gz") for this process. */
static inline void fuzz_file_name(fuzz_file *f, const char *tag, const char *suffix)
{
    const char *dir = getenv("TMPDIR");
    snprintf(f->path, sizeof f->path, "%s/pimfuzz-%s-%ld%s", dir && dir[0] ? dir : "/tmp", tag,
             (long)getpid(), suffix);
}

/* Writes [data, data + n) to the file as it is. 0, or -1. */
static inline int fuzz_file_write(const fuzz_file *f, const uint8_t *data, size_t n)
{
    FILE *o = fopen(f->path, "wb");
    if (!o)
        return -1;
    const int bad = n && fwrite(data, 1, n, o) != n;
    return fclose(o) != 0 || bad ? -1 : 0;
}

/* Writes [data, data + n) gzipped (one member). 0, or -1. */
static inline int fuzz_file_write_gz(const fuzz_file *f, const uint8_t *data, size_t n)
{
    gzFile o = gzopen(f->path, "wb1");
    if (!o)
        return -1;
    const int bad = n && gzwrite(o, data, (unsigned)n) != (int)n;
    return gzclose(o) != Z_OK || bad ? -1 : 0;
}

#endif /* FUZZ_FILE_H */
