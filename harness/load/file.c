/*
 * file.c - reading a whole file, plain or gzipped through zlib (pim_load.h).
 *
 * Only a regular file is opened (or "-", standard input): a directory, a FIFO or a device is
 * refused by its type before a byte is read, so nothing hangs on a FIFO without a writer.
 * The file is opened with O_NONBLOCK for that reason (a regular file ignores it). Its size is
 * checked against the budget before the buffer is allocated. A gzip file is inflated member
 * by member (zlib's inflate, RFC 1952); bytes after the last member that do not start
 * another one are refused, and the output is capped (pim_gunzip_cap) before it grows past
 * the cap, so a small file that expands without end is refused after at most the cap.
 */
#include "pim_load.h"
#include "load_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static pim_status io_error(pim_error *err, const char *path, const char *fmt, const char *what)
{
    pim_error_set(err, PIM_E_IO, -1, -1, "", fmt, what);
    pim_error_set_file(err, path);
    return PIM_E_IO;
}

static pim_status input_error(pim_error *err, const char *path, const char *msg)
{
    pim_error_set(err, PIM_E_INPUT, -1, -1, "", "%s", msg);
    pim_error_set_file(err, path);
    return PIM_E_INPUT;
}

uint64_t pim_max_memory(uint64_t m) { return m ? m : PIM_MAX_MEMORY_DEFAULT; }

uint64_t pim_gunzip_cap(uint64_t compressed, uint64_t max_memory)
{
    const uint64_t half = pim_max_memory(max_memory) / 2;
    uint64_t by_ratio = compressed > UINT64_MAX / PIM_GUNZIP_RATIO ? UINT64_MAX
                                                                   : compressed * PIM_GUNZIP_RATIO;
    if (by_ratio < PIM_GUNZIP_FLOOR)
        by_ratio = PIM_GUNZIP_FLOOR;
    return by_ratio < half ? by_ratio : half;
}

/* What a file that is not a regular file is, for the message. */
static const char *kind_of(mode_t m)
{
    if (S_ISDIR(m)) return "a directory";
    if (S_ISFIFO(m)) return "a FIFO";
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISSOCK(m)) return "a socket";
    return "not a regular file";
}

/* Reads fd to its end into a new buffer (NUL terminated), refusing more than max bytes. */
static pim_status read_fd(int fd, const char *path, uint64_t size_hint, uint64_t max, char **buf,
                          size_t *len, pim_error *err)
{
    size_t cap = size_hint ? (size_t)size_hint : 1u << 16, n = 0;
    char *b = malloc(cap + 1);
    if (!b)
        return io_error(err, path, "%s", "out of memory");
    for (;;) {
        if (n == cap) {
            if ((uint64_t)cap >= max) {
                free(b);
                char m[160];
                snprintf(m, sizeof m, "larger than --max-memory (%llu bytes)",
                         (unsigned long long)max);
                return input_error(err, path, m);
            }
            size_t nc = cap * 2 > max ? (size_t)max : cap * 2;
            char *q = realloc(b, nc + 1);
            if (!q) {
                free(b);
                return io_error(err, path, "%s", "out of memory");
            }
            b = q;
            cap = nc;
        }
        const ssize_t got = read(fd, b + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            free(b);
            return io_error(err, path, "%s", strerror(errno));
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return PIM_OK;
}

/* Inflates the gzip members in [z, z + zn) into a new buffer of at most cap bytes. */
static pim_status gunzip(const char *path, const unsigned char *z, size_t zn, uint64_t cap,
                         char **buf, size_t *len, pim_error *err)
{
    if (zn < 2 || z[0] != 0x1f || z[1] != 0x8b)
        return input_error(err, path, "not gzip data (the name ends in .gz)");
    z_stream s;
    memset(&s, 0, sizeof s);
    if (inflateInit2(&s, 15 + 16) != Z_OK)
        return io_error(err, path, "%s", "gzip: cannot start zlib");
    size_t ocap = zn < ((size_t)1 << 20) ? (size_t)1 << 20 : zn * 4, n = 0;
    if ((uint64_t)ocap > cap)
        ocap = (size_t)cap;
    char *b = malloc(ocap + 1);
    if (!b) {
        inflateEnd(&s);
        return io_error(err, path, "%s", "out of memory");
    }
    s.next_in = (unsigned char *)(uintptr_t)z;
    size_t left = zn; /* input not yet given to zlib */
    pim_status st = PIM_OK;
    char m[200];
    for (;;) {
        if (s.avail_in == 0 && left) {
            s.avail_in = left > (1u << 30) ? 1u << 30 : (unsigned)left;
            left -= s.avail_in;
        }
        if (n == ocap) {
            if ((uint64_t)ocap >= cap) {
                snprintf(m, sizeof m,
                         "gzip: inflates past its cap of %llu bytes (%u times the %zu bytes "
                         "compressed, at least %llu, at most half of --max-memory)",
                         (unsigned long long)cap, PIM_GUNZIP_RATIO, zn,
                         (unsigned long long)PIM_GUNZIP_FLOOR);
                st = input_error(err, path, m);
                break;
            }
            size_t nc = (uint64_t)ocap * 2 > cap ? (size_t)cap : ocap * 2;
            char *q = realloc(b, nc + 1);
            if (!q) {
                st = io_error(err, path, "%s", "out of memory");
                break;
            }
            b = q;
            ocap = nc;
        }
        s.next_out = (unsigned char *)b + n;
        s.avail_out = (unsigned)((ocap - n) > (1u << 30) ? 1u << 30 : (ocap - n));
        const unsigned before = s.avail_out;
        const int zr = inflate(&s, Z_NO_FLUSH);
        n += before - s.avail_out;
        if (zr == Z_STREAM_END) {
            const size_t rest = s.avail_in + left;
            if (rest == 0)
                break;
            const unsigned char *at = s.next_in;
            if (rest < 2 || at[0] != 0x1f || at[1] != 0x8b) {
                snprintf(m, sizeof m,
                         "gzip: %zu bytes of trailing data after the member ending at byte %zu",
                         rest, zn - rest);
                st = input_error(err, path, m);
                break;
            }
            inflateReset(&s); /* another member (gzip files may be concatenated) */
            continue;
        }
        if (zr == Z_BUF_ERROR && s.avail_in == 0 && left == 0) {
            st = input_error(err, path, "gzip: the data ends inside a member (truncated)");
            break;
        }
        if (zr != Z_OK && zr != Z_BUF_ERROR) {
            snprintf(m, sizeof m, "gzip: %s", s.msg ? s.msg : "corrupt data");
            st = input_error(err, path, m);
            break;
        }
    }
    inflateEnd(&s);
    if (st != PIM_OK) {
        free(b);
        return st;
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return PIM_OK;
}

pim_status pim_read_file_max(const char *path, uint64_t max_memory, char **buf, size_t *len,
                             pim_error *err)
{
    *buf = NULL;
    *len = 0;
    const uint64_t max = pim_max_memory(max_memory);
    const int is_stdin = strcmp(path, "-") == 0;
    const int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return io_error(err, path, "%s", strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        const int e = errno;
        if (!is_stdin)
            close(fd);
        return io_error(err, path, "%s", strerror(e));
    }
    uint64_t hint = 0;
    if (!is_stdin) {
        if (!S_ISREG(sb.st_mode)) {
            close(fd);
            char m[120];
            snprintf(m, sizeof m, "%s, not a regular file", kind_of(sb.st_mode));
            return input_error(err, path, m);
        }
        if ((uint64_t)sb.st_size > max) {
            close(fd);
            char m[160];
            snprintf(m, sizeof m, "%llu bytes, larger than --max-memory (%llu bytes)",
                     (unsigned long long)sb.st_size, (unsigned long long)max);
            return input_error(err, path, m);
        }
        /* back to blocking reads (a regular file never blocks; this keeps read() plain) */
        const int fl = fcntl(fd, F_GETFL);
        if (fl >= 0)
            (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
        hint = (uint64_t)sb.st_size;
    }
    char *raw = NULL;
    size_t n = 0;
    pim_status st = read_fd(fd, path, hint, max, &raw, &n, err);
    if (!is_stdin)
        close(fd);
    if (st != PIM_OK || !ends_with(path, ".gz")) {
        *buf = raw;
        *len = n;
        return st;
    }
    st = gunzip(path, (const unsigned char *)raw, n, pim_gunzip_cap(n, max_memory), buf, len, err);
    free(raw);
    return st;
}

pim_status pim_read_file(const char *path, char **buf, size_t *len, pim_error *err)
{
    return pim_read_file_max(path, 0, buf, len, err);
}
