/*
 * fuzz_insn.c - libFuzzer harness of the 64-bit instruction encoding (pim_insn_decode,
 * pim_insn_encode): a word that decodes encodes back to itself, and an instruction made of
 * the input's bytes that encodes decodes to an instruction that encodes to the same word.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pim_isa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 8)
        return 0;
    uint64_t w = 0;
    for (int i = 0; i < 8; i++)
        w |= (uint64_t)data[i] << (8 * i);
    pim_insn in, back;
    pim_error e;
    uint64_t w2;
    if (pim_insn_decode(w, &in, &e) == PIM_OK) {
        if (pim_insn_encode(&in, &w2, &e) != PIM_OK || w2 != w)
            abort(); /* decode accepted a word it cannot give back */
    }
    /* the other way: an instruction from the next bytes */
    if (size < 8 + sizeof(pim_insn))
        return 0;
    memcpy(&in, data + 8, sizeof in);
    if (pim_insn_encode(&in, &w2, &e) != PIM_OK)
        return 0;
    uint64_t w3;
    if (pim_insn_decode(w2, &back, &e) != PIM_OK || pim_insn_encode(&back, &w3, &e) != PIM_OK ||
        w3 != w2)
        abort(); /* encode wrote a word that does not decode to itself */
    return 0;
}
