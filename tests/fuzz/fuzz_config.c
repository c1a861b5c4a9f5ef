/*
 * fuzz_config.c - libFuzzer harness of the architecture config loader
 * (pim_load_config_file): what it accepts validates and sizes a machine within the budget
 * a loader would charge; a refusal says something.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_file.h"
#include "pim_config.h"
#include "pim_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fuzz_file f;
    if (!f.path[0])
        fuzz_file_name(&f, "config", ".json");
    if (fuzz_file_write(&f, data, size) != 0)
        return 0;
    pim_config cfg;
    pim_error e;
    pim_error_clear(&e);
    if (pim_load_config_file(f.path, &cfg, &e) != PIM_OK) {
        if (!e.msg[0])
            abort();
        return 0;
    }
    if (pim_config_validate(&cfg, &e) != PIM_OK)
        abort(); /* the loader accepted a config the golden model refuses */
    return 0;
}
