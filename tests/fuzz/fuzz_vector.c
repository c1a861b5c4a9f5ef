/*
 * fuzz_vector.c - libFuzzer harness of the vector loader (pim_load_vector_file_max) followed
 * by a bounded golden run of what it accepts.
 *
 * The input is written to <tmp>/pimfuzz-vector-PID/v/x.json beside a link "configs" to the
 * shipped vectors/configs (FUZZ_CONFIGS), so the seed vectors' "../configs/small.json"
 * resolves. A refusal must say something; an accepted vector runs at most FUZZ_INSNS
 * instructions on the golden model.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "fuzz_file.h"
#include "pim_golden.h"
#include "pim_load.h"
#include "pim_program.h"

#ifndef FUZZ_CONFIGS
#error "build with -DFUZZ_CONFIGS=\"<repo>/vectors/configs\""
#endif
#define FUZZ_INSNS 20000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fuzz_file f;
    if (!f.path[0]) {
        fuzz_file dir;
        fuzz_file_name(&dir, "vector", "");
        char sub[300], link[300];
        snprintf(sub, sizeof sub, "%s/v", dir.path);
        snprintf(link, sizeof link, "%s/configs", dir.path);
        mkdir(dir.path, 0700);
        mkdir(sub, 0700);
        if (symlink(FUZZ_CONFIGS, link) != 0 && access(link, F_OK) != 0)
            abort();
        snprintf(f.path, sizeof f.path, "%s/x.json", sub);
    }
    if (fuzz_file_write(&f, data, size) != 0)
        return 0;
    pim_program *p = NULL;
    pim_error e;
    pim_error_clear(&e);
    if (pim_load_vector_file_max(f.path, FUZZ_MAX_MEMORY, &p, &e) != PIM_OK) {
        if (!e.msg[0])
            abort(); /* a refusal with nothing after its field */
        return 0;
    }
    pim_golden *g = NULL;
    if (!p->refused && pim_golden_new(&p->cfg, &g, &e) == PIM_OK) {
        if (pim_golden_load(g, p, 1, 0, &e) == PIM_OK)
            (void)pim_golden_run(g, FUZZ_INSNS, &e);
        pim_golden_free(g);
    }
    pim_program_free(p);
    return 0;
}
