/* cover_report.c - the coverage table and its JSON report (pim_cover.h). */
#include "cover_internal.h"

#include <cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pim_json.h"

static void print_knob(FILE *out, const char *name, const uint64_t *v, unsigned max)
{
    fprintf(out, "  %-26s", name);
    int any = 0;
    for (unsigned i = 0; i <= max; i++)
        if (v[i]) {
            fprintf(out, "%s%u: %" PRIu64, any ? ", " : "", i, v[i]);
            any = 1;
        }
    fprintf(out, "%s\n", any ? "" : "(no mvmul)");
}

void pim_cover_print(const pim_cover *cv, FILE *out)
{
    fprintf(out, "%" PRIu64 " vectors (%" PRIu64 " refused at load)\n\n", cv->vectors,
            cv->refused);
    fprintf(out, "%-8s %10s %8s %7s %8s %6s %9s\n", "op", "executed", "vectors", "errors",
            "refused", "len=0", "len=2047");
    for (unsigned op = 0; op < PIM_OP_COUNT; op++)
        fprintf(out, "%-8s %10" PRIu64 " %8" PRIu64 " %7" PRIu64 " %8" PRIu64 " %6" PRIu64
                     " %9" PRIu64 "%s\n",
                pim_op_name(op), cv->op_exec[op], cv->op_vectors[op], cv->op_errors[op],
                cv->op_refused[op], cv->op_len0[op], cv->op_lenmax[op],
                cv->op_exec[op] ? "" : "   <- gap");
    fprintf(out, "\n%-27s %10s  %s\n", "class", "count", "meaning");
    for (size_t i = 0; i < K_COUNT; i++)
        fprintf(out, "%-27s %10" PRIu64 "  %s%s\n", pim_cover_classes[i].name, cv->k[i],
                pim_cover_class_meaning(i),
                pim_cover_classes[i].required && !cv->k[i] ? "   <- gap" : "");
    fprintf(out, "\nmvmul knobs seen (value: mvmuls):\n");
    print_knob(out, "cell_precision", cv->cell_precision, MAX_KNOB);
    print_knob(out, "dac_resolution", cv->dac_resolution, MAX_KNOB);
    print_knob(out, "adc_resolution", cv->adc_resolution, 32);
}

void pim_cover_print_gaps(const pim_cover *cv, FILE *out)
{
    const char *names[PIM_OP_COUNT + K_COUNT];
    const size_t n = pim_cover_gaps(cv, names, sizeof names / sizeof names[0]);
    if (!n) {
        fprintf(out, "gaps: none\n");
        return;
    }
    fprintf(out, "gaps (%zu):", n);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s %s", i ? "," : "", names[i]);
    fprintf(out, "\n");
}

static void add_knob(pim_jb *b, cJSON *knobs, const char *key, const uint64_t *v, unsigned max)
{
    cJSON *o = pim_jb_obj(b, knobs, key);
    for (unsigned i = 0; o && i <= max; i++)
        if (v[i]) {
            char k[8];
            snprintf(k, sizeof k, "%u", i);
            pim_jb_num(b, o, k, (double)v[i]);
        }
}

pim_status pim_cover_write_json(const pim_cover *cv, const char *path, void *extra,
                                pim_error *err)
{
    pim_jb b = {0};
    cJSON *root = cJSON_CreateObject();
    pim_jb_num(&b, root, "vectors", (double)cv->vectors);
    pim_jb_num(&b, root, "refused", (double)cv->refused);
    cJSON *ops = pim_jb_obj(&b, root, "ops"), *cls = pim_jb_obj(&b, root, "classes");
    cJSON *knobs = pim_jb_obj(&b, root, "mvmul_knobs");
    for (unsigned op = 0; op < PIM_OP_COUNT; op++) {
        cJSON *o = pim_jb_obj(&b, ops, pim_op_name(op));
        pim_jb_num(&b, o, "executed", (double)cv->op_exec[op]);
        pim_jb_num(&b, o, "vectors", (double)cv->op_vectors[op]);
        pim_jb_num(&b, o, "errors", (double)cv->op_errors[op]);
        pim_jb_num(&b, o, "refused", (double)cv->op_refused[op]);
        pim_jb_num(&b, o, "len0", (double)cv->op_len0[op]);
        pim_jb_num(&b, o, "len2047", (double)cv->op_lenmax[op]);
    }
    for (size_t i = 0; i < K_COUNT; i++) {
        cJSON *o = pim_jb_obj(&b, cls, pim_cover_classes[i].name);
        pim_jb_num(&b, o, "count", (double)cv->k[i]);
        pim_jb_bool(&b, o, "required", pim_cover_classes[i].required);
        pim_jb_str(&b, o, "meaning", pim_cover_class_meaning(i));
    }
    add_knob(&b, knobs, "cell_precision", cv->cell_precision, MAX_KNOB);
    add_knob(&b, knobs, "dac_resolution", cv->dac_resolution, MAX_KNOB);
    add_knob(&b, knobs, "adc_resolution", cv->adc_resolution, 32);
    const char *names[PIM_OP_COUNT + K_COUNT];
    const size_t n = pim_cover_gaps(cv, names, sizeof names / sizeof names[0]);
    pim_jb_strings(&b, root, "gaps", (char *const *)names, n);
    if (extra)
        pim_jb_add(&b, root, "rtl", extra);
    pim_status st = PIM_OK;
    if (!root || b.oom)
        st = pim_error_set(err, PIM_E_NOMEM, -1, -1, "", "out of memory");
    else if (pim_json_write_file(path, root) != 0)
        st = pim_error_set(err, PIM_E_IO, -1, -1, "", "cannot write %s: %s", path,
                           strerror(errno));
    cJSON_Delete(root);
    return st;
}
