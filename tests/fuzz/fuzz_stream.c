/*
 * fuzz_stream.c - libFuzzer harness of the stream loader (pim_load_stream_file_opts).
 *
 * The first byte picks the dialect (strict, pimcomp, auto) and the form of the file: the
 * rest of the input as it is, gzipped by zlib, or taken as the bytes of a .gz file. Each
 * input is loaded on one parser thread and on three: both loads must give the same program
 * or the same error, and every refusal must say something (a file, a field or a message).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_file.h"
#include "pim_config.h"
#include "pim_load.h"
#include "pim_program.h"

static int same_program(const pim_program *a, const pim_program *b)
{
    if (a->n_cores != b->n_cores || a->n_groups != b->n_groups || a->dialect != b->dialect ||
        a->gmem_input_end != b->gmem_input_end)
        return 0;
    for (uint32_t c = 0; c < a->n_cores; c++)
        if (a->n_insns[c] != b->n_insns[c] ||
            (a->n_insns[c] && memcmp(a->insns[c], b->insns[c], a->n_insns[c] * sizeof(pim_insn))))
            return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fuzz_file plain, gz;
    static pim_config arch;
    if (!plain.path[0]) {
        fuzz_file_name(&plain, "stream", ".json");
        fuzz_file_name(&gz, "stream", ".json.gz");
        pim_config_default(&arch);
        arch.core_cnt = 16;
    }
    if (size < 1)
        return 0;
    const unsigned mode = data[0] % 9, form = mode / 3;
    data++;
    size--;
    const fuzz_file *f = form == 0 ? &plain : &gz;
    if ((form == 1 ? fuzz_file_write_gz(f, data, size) : fuzz_file_write(f, data, size)) != 0)
        return 0;
    pim_program *p1 = NULL, *p3 = NULL;
    pim_error e1, e3;
    pim_error_clear(&e1);
    pim_error_clear(&e3);
    pim_load_opts o1 = {PIM_DIALECT_STRICT, 0, 1, "", FUZZ_MAX_MEMORY, NULL};
    if (pim_dialect_from_name(mode % 3 == 0 ? "strict" : mode % 3 == 1 ? "pimcomp" : "auto",
                              &o1.dialect, &o1.detect) != PIM_OK)
        abort();
    pim_load_opts o3 = o1;
    o3.threads = 3;
    const pim_status s1 = pim_load_stream_file_opts(f->path, &arch, &o1, &p1, &e1);
    const pim_status s3 = pim_load_stream_file_opts(f->path, &arch, &o3, &p3, &e3);
    char m1[PIM_ERROR_MSG_MAX * 2], m3[PIM_ERROR_MSG_MAX * 2];
    if (s1 != s3)
        abort(); /* the thread count changed the verdict */
    if (s1 == PIM_OK) {
        if (!same_program(p1, p3))
            abort(); /* or the program */
    } else {
        pim_error_format(&e1, m1, sizeof m1);
        pim_error_format(&e3, m3, sizeof m3);
        if (strcmp(m1, m3) != 0)
            abort(); /* or the error */
        if (!e1.msg[0])
            abort(); /* a refusal with nothing after its field */
    }
    pim_program_free(p1);
    pim_program_free(p3);
    return 0;
}
