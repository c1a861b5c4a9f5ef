/*
 * wave.c - waves an engineer opens after a divergence (pim_wave.h): RTL units traced over a
 * window of cycles, and GTKWave save files that open the dump at the divergence with the
 * failing unit's signals (read from the dump itself, so every name exists).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "pim_wave.h"
#include "pim_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The signals worth seeing first, per unit, in this order (those present in the dump). */
static const char *const k_tile_signals[] = {
    "clk_i", "rst_ni", "prog_valid_i", "prog_ready_o", "prog_col_i", "prog_plane_i",
    "prog_mbiw_i", "in_valid_i", "in_ready_o", "in_col_i", "in_plane_i", "in_cols_i",
    "in_mbiw_i", "in_ibiw_i", "in_obiw_i", "in_relu_i",
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

/* A signal of the dump by its name's end (".pim_vector_unit.in_op_i"), or NULL. */
static const var *find_var(const var *v, int nv, const char *suffix)
{
    const size_t ls = strlen(suffix);
    for (int i = 0; i < nv; i++) {
        const size_t ln = strlen(v[i].name);
        if (ln >= ls && strcmp(v[i].name + ln - ls, suffix) == 0)
            return &v[i];
    }
    return NULL;
}

static void put_trace(FILE *f, const var *x, unsigned flags)
{
    if (x->width > 1)
        fprintf(f, "@%x\n%s[%u:0]\n", flags, x->name, x->width - 1);
    else
        fprintf(f, "@%x\n%s\n", flags, x->name);
}

/* GTKWave's trace flags (analyzer.h): what a save file's "@" lines hold. */
enum {
    TR_HIGHLIGHT = 0x1, TR_HEX = 0x2, TR_DEC = 0x4, TR_BIN = 0x8, TR_RJUSTIFY = 0x20,
    TR_BLANK = 0x200, TR_SIGNED = 0x400, TR_FTRANSLATED = 0x2000, TR_GRP_BEGIN = 0x800000,
    TR_GRP_END = 0x1000000
};

/* The ops' names for a translate filter: the value as GTKWave prints in_op_i (hex, two
 * digits for a 6-bit field) and the name. */
static int write_op_filter(const char *path, unsigned width)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "# pimcosim: ISA opcodes of in_op_i (pimcosim isa)\n");
    const int digits = (int)((width + 3) / 4);
    for (unsigned op = 0; op < PIM_OP_COUNT; op++)
        fprintf(f, "%0*X %s\n", digits, op, pim_op_name(op));
    return fclose(f) == 0 ? 0 : -1;
}

int pim_gtkw_write(const pim_gtkw_spec *g)
{
    enum { MAXV = 8192 };
    var *v = malloc(MAXV * sizeof *v);
    if (!v)
        return -1;
    const int nv = dump_vars(g->dump, v, MAXV);
    const int tile = strcmp(g->unit, "pim_xbar_tile") == 0;
    const char *const *want = tile ? k_tile_signals : k_vu_signals;
    FILE *f = nv > 0 ? fopen(g->gtkw, "w") : NULL;
    if (!f) {
        free(v);
        return -1;
    }
    char abs[1100];
    if (!realpath(g->dump, abs))
        snprintf(abs, sizeof abs, "%s", g->dump);
    const uint64_t ps = PIM_WAVE_PS_PER_CYCLE, edge = ps / 2;
    const uint64_t t0 = g->from * ps, t1 = (g->to + 1) * ps;
    /* GTKWave's zoom z shows about 4.15 * 2^-z time units across the wave area of a
     * [size] 1600 900 window (measured with GTKWave 3.3.118's Tcl getWindowEndTime): the
     * largest z whose span at 4 * 2^-z holds the dumped window */
    unsigned z = 0;
    while (z < 60 && (double)(t1 - t0) > 4.0 * (double)(1ull << z))
        z++;
    const double zoom = -(double)z;
    fprintf(f, "[*] pimcosim: %s\n", g->comment);
    fprintf(f, "[dumpfile] \"%s\"\n", abs);
    /* with the save file's own place, GTKWave finds the dump of a moved bundle beside it */
    char sabs[1100];
    if (realpath(g->gtkw, sabs))
        fprintf(f, "[savefile] \"%s\"\n", sabs);
    fprintf(f, "[timestart] %llu\n", (unsigned long long)t0);
    fprintf(f, "[size] 1600 900\n");
    /* zoom, the primary marker (on the beat that gave the failing element, so that the
     * signal pane shows its values), then the 26 named markers: A on that beat too, B on the
     * edge the instruction's last result left at (the cycle the report names) */
    /* the beat while it stands on the output bus: a quarter cycle into the cycle whose
     * rising edge takes it (the edge itself already shows the next beat) */
    const uint64_t beat_t = g->has_beat ? g->beat * ps + ps / 4 : g->marker * ps + edge;
    fprintf(f, "*%.6f %llu", zoom, (unsigned long long)beat_t);
    for (int i = 0; i < 26; i++)
        if (i == 0 && g->has_beat)
            fprintf(f, " %llu", (unsigned long long)beat_t);
        else if (i == 1 && g->has_beat)
            fprintf(f, " %llu", (unsigned long long)(g->marker * ps + edge));
        else
            fprintf(f, " -1");
    fprintf(f, "\n[sst_width] 240\n[signals_width] 300\n");
    fprintf(f, "[treeopen] %s.\n", tile ? "tile" : "vu");
    fprintf(f, "@%x\n-%s\n", TR_BLANK, g->comment); /* a comment trace: what diverged */
    if (g->lane >= 0) { /* the failing element first, in a group of its own */
        char suffix[96];
        snprintf(suffix, sizeof suffix, ".%s.%s[%ld].view_y", g->unit, tile ? "g_col" : "g_lane",
                 g->lane);
        const var *y = find_var(v, nv, suffix);
        if (y) {
            fprintf(f, "@%x\n-failing element %llu (%s %ld)\n", TR_GRP_BEGIN | TR_BLANK,
                    (unsigned long long)g->element, tile ? "column" : "lane", g->lane);
            fprintf(f, "@%x\n-expected %lld, actual %lld (marker A: its beat; B: the instruction's end)\n",
                    TR_BLANK, (long long)g->expected, (long long)g->actual);
            put_trace(f, y, TR_HIGHLIGHT | TR_SIGNED | TR_DEC | TR_RJUSTIFY);
            fprintf(f, "@%x\n-failing element\n", TR_GRP_END | TR_BLANK);
        }
    }
    fprintf(f, "@%x\n-%s\n", TR_GRP_BEGIN | TR_BLANK, g->unit);
    for (int k = 0; want[k]; k++) {
        char suffix[64];
        snprintf(suffix, sizeof suffix, ".%s.%s", g->unit, want[k]);
        const var *x = find_var(v, nv, suffix);
        if (!x)
            continue;
        if (!tile && strcmp(want[k], "in_op_i") == 0 && g->op_filter &&
            write_op_filter(g->op_filter, x->width) == 0) {
            char fabs[1100];
            if (!realpath(g->op_filter, fabs))
                snprintf(fabs, sizeof fabs, "%s", g->op_filter);
            fprintf(f, "^1 %s\n", fabs);
            put_trace(f, x, TR_HEX | TR_RJUSTIFY | TR_FTRANSLATED);
        } else {
            put_trace(f, x, x->width > 1 ? (TR_HEX | TR_RJUSTIFY) : (TR_BIN | TR_RJUSTIFY));
        }
    }
    fprintf(f, "@%x\n-%s\n", TR_GRP_END | TR_BLANK, g->unit);
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

void pim_gtkw_write_dir(const char *dir, const pim_divergence *div, int vcd_too, uint64_t before,
                        uint64_t after, uint64_t run_cycles, char *note, size_t n)
{
    const char *units[2] = {"pim_xbar_tile", "pim_vector_unit"}, *short_[2] = {"tile", "vu"};
    note[0] = '\0';
    for (int k = 0; k < 2; k++) {
        if (div && (int)div->unit != (k ? PIM_UNIT_VU : PIM_UNIT_TILE))
            continue;
        char fst[1200], gtkw[1200], filter[1200], comment[400];
        snprintf(fst, sizeof fst, "%.1100s/wave.%s.%s", dir, short_[k], vcd_too ? "vcd" : "fst");
        snprintf(gtkw, sizeof gtkw, "%.1100s/wave.%s.gtkw", dir, short_[k]);
        snprintf(filter, sizeof filter, "%.1100s/ops.txt", dir);
        pim_gtkw_spec g = {gtkw, fst, units[k], 0, 0, 0, 0, 0, -1, 0, 0, 0, comment,
                           k ? filter : NULL};
        if (div) {
            const uint64_t cyc = k ? div->vu_cycle : div->tile_cycle;
            snprintf(comment, sizeof comment, "core %u #%llu %s: %s element %llu expected %lld got %lld",
                     div->core, (unsigned long long)div->index, pim_op_name(div->op),
                     pim_divergence_what(div),
                     (unsigned long long)div->element, (long long)div->expected, (long long)div->actual);
            g.from = cyc > before ? cyc - before : 0;
            g.to = cyc + after;
            g.marker = cyc ? cyc - 1 : 0; /* the edge the instruction's last result left at */
            if (div->kind == PIM_DIV_VALUE) {
                g.has_beat = 1;
                g.beat = div->beat_cycle;
                g.element = div->element;
                g.lane = (long)div->lane;
                g.expected = div->expected;
                g.actual = div->actual;
            }
        } else {
            snprintf(comment, sizeof comment, "%s, whole run", units[k]);
            g.to = run_cycles ? run_cycles - 1 : 0;
        }
        if (pim_gtkw_write(&g) == 0 && strlen(note) + 40 < n)
            snprintf(note + strlen(note), n - strlen(note), "%sgtkwave %.300s", note[0] ? "; " : "", gtkw);
    }
}
