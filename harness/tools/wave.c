/*
 * wave.c - waves an engineer opens after a divergence (pim_wave.h): RTL units traced over a
 * window of cycles, and GTKWave save files that open the dump at the divergence with the
 * failing unit's signals (read from the dump itself, so every name exists).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "pim_wave.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The signals worth seeing first, per unit, in this order (those present in the dump). */
static const char *const k_tile_signals[] = {
    "clk_i", "rst_ni", "prog_valid_i", "prog_ready_o", "prog_first_i", "prog_col_i",
    "prog_mbiw_i", "in_valid_i", "in_ready_o", "in_ibiw_i", "in_obiw_i", "in_relu_i",
    "state_q", "step_q", "clips_q", "out_valid_o", "out_ready_i", "out_clips_o", "out_y_o",
    "acc_q", "in_x_i", NULL};
static const char *const k_vu_signals[] = {
    "clk_i", "rst_ni", "in_valid_i", "in_ready_o", "in_op_i", "in_ibiw_i", "in_obiw_i",
    "in_scalar_i", "in_first_i", "in_last_i", "in_count_i", "out_valid_o", "out_ready_i",
    "out_count_o", "in_a_i", "in_b_i", "out_y_o", NULL};

typedef struct var {
    char name[160];  /* hierarchical: tile.pim_xbar_tile.state_q */
    unsigned width;
} var;

/* Reads the dump's variables (through GTKWave's fst2vcd: its header), so the save file names
 * only signals that exist. Returns the count, or -1. */
static int dump_vars(const char *fst, var *v, int max)
{
    if (strchr(fst, '\''))
        return -1;
    const size_t fl = strlen(fst);
    const int vcd = fl > 4 && strcmp(fst + fl - 4, ".vcd") == 0; /* read a VCD as it is */
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "fst2vcd -f '%s' 2>/dev/null", fst);
    FILE *p = vcd ? fopen(fst, "r") : popen(cmd, "r");
    if (!p)
        return -1;
    char line[512], scope[8][64];
    int depth = 0, n = 0;
    while (fgets(line, sizeof line, p)) {
        char a[64], b[64], c[64], d[160];
        unsigned w;
        if (strstr(line, "$enddefinitions"))
            break;
        if (sscanf(line, " $scope %63s %63s", a, b) == 2) {
            if (depth < 8)
                snprintf(scope[depth], sizeof scope[0], "%s", b);
            depth++;
        } else if (strstr(line, "$upscope")) {
            depth = depth > 0 ? depth - 1 : 0;
        } else if (sscanf(line, " $var %63s %u %63s %159s", a, &w, c, d) == 4 && n < max &&
                   strcmp(a, "parameter") != 0) {
            char path[160] = "";
            size_t k = 0;
            for (int i = 0; i < depth && i < 8; i++)
                k += (size_t)snprintf(path + k, sizeof path - k, "%s.", scope[i]);
            snprintf(v[n].name, sizeof v[n].name, "%.100s%.50s", path, d);
            v[n].width = w;
            n++;
        }
    }
    if (vcd) {
        fclose(p);
        return n ? n : -1;
    }
    while (fgets(line, sizeof line, p)) /* let fst2vcd finish writing */
        ;
    const int rc = pclose(p);
    return rc == 0 ? n : (n ? n : -1);
}

int pim_gtkw_write(const char *gtkw, const char *dump, const char *unit, uint64_t marker,
                   uint64_t from, const char *comment)
{
    enum { MAXV = 4096 };
    var *v = malloc(MAXV * sizeof *v);
    if (!v)
        return -1;
    const int nv = dump_vars(dump, v, MAXV);
    const int tile = strcmp(unit, "pim_xbar_tile") == 0;
    const char *const *want = tile ? k_tile_signals : k_vu_signals;
    FILE *f = nv > 0 ? fopen(gtkw, "w") : NULL;
    if (!f) {
        free(v);
        return -1;
    }
    char abs[1100];
    if (!realpath(dump, abs))
        snprintf(abs, sizeof abs, "%s", dump);
    fprintf(f, "[*] pimcosim: %s\n", comment);
    fprintf(f, "[dumpfile] \"%s\"\n", abs);
    fprintf(f, "[timestart] %llu\n", (unsigned long long)from);
    fprintf(f, "[size] 1600 900\n");
    /* zoom, primary marker, then the 26 named markers (unset) */
    fprintf(f, "*-4.000000 %llu", (unsigned long long)marker);
    for (int i = 0; i < 26; i++)
        fprintf(f, " -1");
    fprintf(f, "\n[sst_width] 240\n[signals_width] 260\n");
    fprintf(f, "[treeopen] %s.\n", tile ? "tile" : "vu");
    fprintf(f, "@200\n-%s\n", comment); /* a comment trace: what diverged, where */
    fprintf(f, "@800200\n-%s\n", unit);
    for (int k = 0; want[k]; k++) {
        char suffix[64];
        snprintf(suffix, sizeof suffix, ".%s.%s", unit, want[k]);
        for (int i = 0; i < nv; i++) {
            const size_t ln = strlen(v[i].name), ls = strlen(suffix);
            if (ln < ls || strcmp(v[i].name + ln - ls, suffix) != 0)
                continue;
            if (v[i].width > 1)
                fprintf(f, "@22\n%s[%u:0]\n", v[i].name, v[i].width - 1);
            else
                fprintf(f, "@28\n%s\n", v[i].name);
            break;
        }
    }
    fprintf(f, "@1000200\n-%s\n", unit);
    free(v);
    return fclose(f) == 0 ? 0 : -1;
}

pim_status pim_rtl_open_traced(const pim_rtl_opts *base, const pim_config *cfg, const char *dir,
                               int vcd, const pim_divergence *div, uint64_t before,
                               uint64_t after, pim_rtl **out, pim_error *err)
{
    char prefix[1100];
    snprintf(prefix, sizeof prefix, "%.1000s/wave", dir);
    pim_rtl_opts ro = *base;
    ro.build = 0;
    ro.wave = prefix;
    ro.wave_vcd = vcd;
    if (div) {
        ro.tile_from = div->tile_cycle > before ? div->tile_cycle - before : 0;
        ro.tile_to = div->tile_cycle + after;
        ro.vu_from = div->vu_cycle > before ? div->vu_cycle - before : 0;
        ro.vu_to = div->vu_cycle + after;
    }
    return pim_rtl_open(cfg, &ro, out, err);
}

void pim_gtkw_write_dir(const char *dir, const pim_divergence *div, int vcd_too, char *note, size_t n)
{
    const char *units[2] = {"pim_xbar_tile", "pim_vector_unit"}, *short_[2] = {"tile", "vu"};
    note[0] = '\0';
    for (int k = 0; k < 2; k++) {
        if (div && (int)div->unit != (k ? PIM_UNIT_VU : PIM_UNIT_TILE))
            continue;
        char fst[1200], gtkw[1200], comment[400];
        snprintf(fst, sizeof fst, "%.1100s/wave.%s.%s", dir, short_[k], vcd_too ? "vcd" : "fst");
        snprintf(gtkw, sizeof gtkw, "%.1100s/wave.%s.gtkw", dir, short_[k]);
        const uint64_t cyc = div ? (k ? div->vu_cycle : div->tile_cycle) : 0;
        if (div)
            snprintf(comment, sizeof comment, "core %u #%llu %s: %s element %llu expected %lld got %lld",
                     div->core, (unsigned long long)div->index, pim_op_name(div->op),
                     pim_divergence_what(div),
                     (unsigned long long)div->element, (long long)div->expected, (long long)div->actual);
        else
            snprintf(comment, sizeof comment, "%s, whole run", units[k]);
        const uint64_t marker = cyc ? 2 * cyc - 1 : 0;
        const uint64_t from = div && 2 * cyc > 400 ? 2 * cyc - 400 : 0;
        if (pim_gtkw_write(gtkw, fst, units[k], marker, from, comment) == 0 && strlen(note) + 40 < n)
            snprintf(note + strlen(note), n - strlen(note), "%sgtkwave %.300s", note[0] ? "; " : "", gtkw);
    }
}
