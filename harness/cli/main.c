/*
 * main.c - the pimcosim command line: a table of commands, each with its main in its own
 * file (pim_cli.h). Exit codes: 0 pass, 1 mismatch, 2 bad input (docs/isa.md).
 */
#include <stdio.h>
#include <string.h>

#include "pim_cli.h"
#include "pim_status.h"

typedef struct command {
    const char *name;
    int (*main)(int argc, char **argv);
    const char *summary;
} command;

static const command k_commands[] = {
    {"run", pim_cmd_run, "run conformance vectors and check their expectations (or, with\n"
                         "         --stream, a compiled network in lockstep)"},
    {"exec", pim_cmd_exec, "execute a PIMSIM-NN instruction stream on the golden model"},
    {"gen", pim_cmd_gen, "write a constrained-random valid vector from a seed"},
    {"shrink", pim_cmd_shrink, "reduce a failing vector while the same divergence remains"},
    {"replay", pim_cmd_replay, "rerun a failure bundle (repro.json) and check the divergence "
                               "comes back"},
    {"cover", pim_cmd_cover, "coverage of a suite: per op and corner class (and RTL line/toggle)"},
    {"merge", pim_cmd_merge, "join the JSON reports of several `run --shard` runs (JUnit, JSON)"},
    {"models", pim_cmd_models, "list the RTL model files the vectors' configs need (for make -j)"},
    {"mutate", pim_cmd_mutate, "mutation testing: RTL mutants built and run on a suite, killed or not"},
    {"isa", pim_cmd_isa, "print the ISA table (text, JSON) or the RTL package generated from it"},
};
enum { N_COMMANDS = sizeof k_commands / sizeof k_commands[0] };

static void usage(FILE *out)
{
    fprintf(out, "usage: pimcosim <command> [options]\n\ncommands:\n");
    for (int i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-6s %s\n", k_commands[i].name, k_commands[i].summary);
    fprintf(out, "\n`pimcosim <command> --help` describes a command. Exit codes: 0 pass, 1 "
                 "mismatch,\n2 bad input (malformed file, field out of range, execution "
                 "error).\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: pimcosim <command> [options] (pimcosim --help lists them)\n");
        return PIM_EXIT_BAD_INPUT;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return PIM_EXIT_PASS;
    }
    for (int i = 0; i < N_COMMANDS; i++)
        if (strcmp(argv[1], k_commands[i].name) == 0)
            return k_commands[i].main(argc - 1, argv + 1);
    fprintf(stderr, "pimcosim: unknown command '%s' (pimcosim --help lists them)\n", argv[1]);
    return PIM_EXIT_BAD_INPUT;
}
