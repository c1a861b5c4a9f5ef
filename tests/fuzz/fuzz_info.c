/*
 * fuzz_info.c - libFuzzer harness of the VerificationInfo reader (--pimcomp-info,
 * harness/load/info.c): the input is a VerificationInfo (the first byte picks plain or
 * gzipped by zlib), applied to a fixed raw stream of two cores and three MVMULs, pimcomp.
 * A load must succeed with every mvmul's group inside its core's groups, or be refused with
 * something said.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_file.h"
#include "pim_config.h"
#include "pim_load.h"
#include "pim_program.h"

#define MV(g) "{\"op\": \"mvmul\", \"rd\": 0, \"rs1\": 0, \"mbiw\": 8, \"group\": " #g "}"
static const char k_raw[] = "{\"config\": {\"core_cnt\": 2}, \"core0\": [" MV(2) ", " MV(1) "],"
                            " \"core1\": [" MV(1) "]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fuzz_file stream, plain, gz;
    static pim_config arch;
    if (!stream.path[0]) {
        fuzz_file_name(&stream, "raw", ".json");
        fuzz_file_name(&plain, "info", ".json");
        fuzz_file_name(&gz, "info", ".json.gz");
        pim_config_default(&arch);
        arch.core_cnt = 4;
        if (fuzz_file_write(&stream, (const uint8_t *)k_raw, strlen(k_raw)) != 0)
            abort();
    }
    if (size < 1)
        return 0;
    const int zip = data[0] & 1;
    data++;
    size--;
    const fuzz_file *f = zip ? &gz : &plain;
    if ((zip ? fuzz_file_write_gz(f, data, size) : fuzz_file_write(f, data, size)) != 0)
        return 0;
    pim_program *p = NULL;
    pim_error e;
    pim_error_clear(&e);
    pim_load_opts o = {PIM_DIALECT_PIMCOMP, 0, 1, "", FUZZ_MAX_MEMORY, f->path};
    if (pim_load_stream_file_opts(stream.path, &arch, &o, &p, &e) == PIM_OK) {
        for (uint32_t c = 0; c < p->n_cores; c++)
            for (size_t i = 0; i < p->n_insns[c]; i++) {
                size_t g = 0;
                while (g < p->n_groups && !(p->groups[g].core == c &&
                                            p->groups[g].index == p->insns[c][i].group))
                    g++;
                if (g == p->n_groups)
                    abort(); /* an mvmul left without its group */
            }
        pim_program_free(p);
    } else if (!e.msg[0] || p) {
        abort(); /* a refusal with nothing said, or a program left behind */
    }
    return 0;
}
