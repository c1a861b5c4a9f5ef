/*
 * cmd_isa.c - `pimcosim isa [--json | --sv]`: the ISA table of pim_isa.h (PIM_OP_TABLE,
 * PIM_FIELD_TABLE) as text, as JSON (what tests/pyref/check_isa.py compares with the
 * Python model), or as the RTL package rtl/pim_pkg.sv (`make pkg` writes it, `make
 * check-pkg` fails on any difference). The one writer of every opcode the RTL uses.
 */
#include <cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "pim_cli.h"
#include "pim_isa.h"
#include "pim_json.h"
#include "pim_opt.h"

static const char *const k_classes[] = {"scalar", "matrix", "vector", "transfer", "sync"};

/* Bits to hold the value v. */
static unsigned bits_for(unsigned v)
{
    unsigned b = 1;
    while ((1u << b) <= v)
        b++;
    return b;
}

static void print_text(void)
{
    printf("%-6s %-7s %-9s %-40s %s\n", "opcode", "op", "class", "fields", "meaning");
    for (unsigned op = 0; op < PIM_OP_COUNT; op++) {
        char f[160] = "";
        size_t k = 0;
        for (unsigned b = 0; b < PIM_FIELD_COUNT; b++)
            if (pim_op_fields(op) & (1u << b))
                k += (size_t)snprintf(f + k, sizeof f - k, "%s%s", k ? " " : "", pim_field_path(b));
        printf("%-6u %-7s %-9s %-40s %s\n", op, pim_op_name(op),
               k_classes[pim_op_class(op)], f, pim_op_meaning(op));
    }
}

static int print_json(void)
{
    pim_jb b = {0};
    cJSON *root = cJSON_CreateObject();
    cJSON *fields = pim_jb_arr(&b, root, "fields");
    for (unsigned i = 0; i < PIM_FIELD_COUNT; i++) {
        cJSON *f = cJSON_CreateObject();
        pim_jb_num(&b, f, "bit", i);
        pim_jb_str(&b, f, "key", pim_field_key(i));
        pim_jb_str(&b, f, "path", pim_field_path(i));
        pim_jb_str(&b, f, "meaning", pim_field_meaning(i));
        pim_jb_add(&b, fields, NULL, f);
    }
    cJSON *ops = pim_jb_arr(&b, root, "ops");
    for (unsigned op = 0; op < PIM_OP_COUNT; op++) {
        cJSON *o = cJSON_CreateObject();
        pim_jb_num(&b, o, "opcode", op);
        pim_jb_str(&b, o, "name", pim_op_name(op));
        pim_jb_str(&b, o, "class", k_classes[pim_op_class(op)]);
        cJSON *fs = pim_jb_arr(&b, o, "fields");
        for (unsigned i = 0; i < PIM_FIELD_COUNT; i++)
            if (pim_op_fields(op) & (1u << i))
                pim_jb_add(&b, fs, NULL, cJSON_CreateString(pim_field_path(i)));
        pim_jb_str(&b, o, "meaning", pim_op_meaning(op));
        pim_jb_add(&b, ops, NULL, o);
    }
    pim_jb_num(&b, root, "max_width", PIM_MAX_WIDTH);
    pim_jb_num(&b, root, "registers", PIM_NREGS);
    pim_jb_num(&b, root, "events", PIM_NEVENTS);
    char *s = b.oom || !root ? NULL : cJSON_Print(root);
    cJSON_Delete(root);
    if (!s)
        return PIM_EXIT_BAD_INPUT;
    printf("%s\n", s);
    cJSON_free(s);
    return PIM_EXIT_PASS;
}

static void print_sv(void)
{
    const unsigned opbits = PIM_SIZE_OP, bwbits = bits_for(PIM_MAX_WIDTH);
    printf("// pim_pkg.sv - constants shared by the pimcosim RTL models.\n"
           "//\n"
           "// GENERATED from include/pim_isa.h (PIM_OP_TABLE, the one table of the ISA) by\n"
           "// `pimcosim isa --sv` (`make pkg`); `make check-pkg`, part of `make test`, fails when\n"
           "// this file differs from what the table gives. Do not edit by hand.\n"
           "package pim_pkg;\n\n"
           "  // Widest element any unit handles (PIM_MAX_WIDTH: the profile's widths are 1..%u bits).\n"
           "  localparam int MaxWidth = %u;\n"
           "  // Width of a width field (1..%u needs %u bits).\n"
           "  localparam int BwBits = %u;\n"
           "  // Width of an opcode (PIM_SIZE_OP).\n"
           "  localparam int OpBits = %u;\n\n"
           "  // ISA opcodes (PIM_OP_TABLE)\n",
           PIM_MAX_WIDTH, PIM_MAX_WIDTH, PIM_MAX_WIDTH, bwbits, bwbits, opbits);
    for (unsigned op = 0; op < PIM_OP_COUNT; op++) {
        char name[16];
        snprintf(name, sizeof name, "%s", pim_op_name(op));
        name[0] = (char)toupper((unsigned char)name[0]);
        char val[16];
        snprintf(val, sizeof val, "%u'd%u;", opbits, op);
        printf("  localparam logic [OpBits-1:0] Op%-7s = %-6s // %s\n", name, val,
               pim_op_meaning(op));
    }
    printf("\nendpackage\n");
}

int pim_cmd_isa(int argc, char **argv)
{
    int json = 0, sv = 0;
    const pim_opt opts[] = {
        {.name = "--json", .type = PIM_OPT_FLAG, .dst = &json, .set = 1,
         .help = "the table as JSON: fields (bit, key, path) and ops (opcode, name, class,\n"
                 "fields, meaning)"},
        {.name = "--sv", .type = PIM_OPT_FLAG, .dst = &sv, .set = 1,
         .help = "the SystemVerilog package rtl/pim_pkg.sv generated from the table"},
    };
    const pim_cmd c = {"isa", "[--json | --sv]",
                       "Prints the ISA table of include/pim_isa.h: every op with its opcode, class,\n"
                       "fields and meaning.\n",
                       "Exit: 0.\n", opts, sizeof opts / sizeof opts[0], NULL, NULL, 0};
    int rc = pim_opt_parse(&c, argc - 1, argv + 1);
    if (rc == 0 && json && sv)
        rc = pim_opt_fail(&c, "--json and --sv are one or the other");
    if (rc)
        return rc == 1 ? PIM_EXIT_PASS : PIM_EXIT_BAD_INPUT;
    if (json)
        return print_json();
    if (sv)
        print_sv();
    else
        print_text();
    return PIM_EXIT_PASS;
}
