/*
 * fuzz_repro.c - libFuzzer harness of the failure-bundle reader (pim_repro_read): a refusal
 * says something; what it accepts is in range.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_file.h"
#include "pim_isa.h"
#include "pim_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fuzz_file f;
    if (!f.path[0])
        fuzz_file_name(&f, "repro", ".json");
    if (fuzz_file_write(&f, data, size) != 0)
        return 0;
    pim_repro_in r;
    pim_error e;
    pim_error_clear(&e);
    if (pim_repro_read(f.path, &r, &e) != PIM_OK) {
        if (!e.msg[0])
            abort();
        return 0;
    }
    if (!r.vector[0] || r.stress > 2 || pim_op_from_name(r.div_op) < 0)
        abort();
    return 0;
}
