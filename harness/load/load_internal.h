/*
 * load_internal.h - what the loader's files share (harness/load/). Not public: the rest of
 * the harness uses pim_load.h.
 *
 *   file.c     reading a file, plain or gzipped
 *   config.c   numbers in JSON, PIMSIM-NN architecture configs, whole-document parsing
 *   walk.c     walking raw JSON text: the reader, objects member by member, skipping arrays
 *   insn.c     one instruction object -> pim_insn (fields, ranges, the two dialects)
 *   pass2.c    a stream's core arrays parsed on threads, cJSON's arena, the input region
 *   stream.c   a stream: pass 1, its config and array groups, dialect detection
 *   vector.c   a conformance vector: config, program, init, expected / error
 */
#ifndef PIM_LOAD_INTERNAL_H
#define PIM_LOAD_INTERNAL_H

#include <cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "pim_config.h"
#include "pim_isa.h"
#include "pim_program.h"
#include "pim_status.h"

/* ------------------------------------------------------------------ config.c */

/* Reads an integral JSON number in [lo, hi] into *out; otherwise PIM_E_INPUT naming field.
 * A parsed number keeps no trace of how it was written, so an integral float (0.0) passes
 * here whatever allow_float says: the strict form refuses it by scanning the raw text
 * (insn.c), and the pimcomp dialect passes allow_float = 1 to say it accepts it. */
pim_status pim_json_int(const cJSON *v, const char *field, int64_t lo, int64_t hi,
                        int allow_float, int64_t *out, pim_error *err);

/* Builds *cfg from a PIMSIM-NN architecture config object (defaults for what is absent).
 * *core_cnt_given (may be NULL) tells whether chip_config.core_cnt was present. */
pim_status pim_config_from_json(const cJSON *root, pim_config *cfg, int *core_cnt_given,
                                pim_error *err);

/* Parses a whole NUL-terminated document; on a syntax error names file, line and column.
 * *out is owned by the caller (cJSON_Delete). */
pim_status pim_json_parse_whole(const char *path, const char *text, cJSON **out, pim_error *err);

/* Fills *err with what pim_json_clean found: field key, located at `at` when not NULL. */
void pim_json_key_error(const char *path, const char *base, const char *at, const char *key,
                        const char *what, pim_error *err);

/* Fills *err with a syntax error at `at` (line/column counted from base) in file path. */
void pim_json_syntax_error(const char *path, const char *base, const char *at, const char *what,
                           pim_error *err);

/* ------------------------------------------------------------------ walk.c */

/* Walking one document's raw text. */
typedef struct pim_reader {
    const char *path;
    const char *base;    /* start of the document, for line/column */
    const char *lim;     /* end of the document (a NUL is there) */
    pim_error *err;
    pim_dialect dialect; /* forms accepted */
    int hint;            /* strict refusals of pimcomp forms end with the detection hint */
    int quiet;           /* a parser thread: syntax errors are only flagged, not located */
    char form[112];      /* set by a refusal of a pimcomp form: what the form was */
    uint64_t max_memory; /* the budget (pim_max_memory of the load's --max-memory) */
    uint64_t used;       /* what the load has charged to it (pim_rd_charge) */
    const char *member;  /* the top-level member being read (pim_rd_object), or NULL */
    const struct pim_pc_info *pc_info; /* a stream's VerificationInfo (--pimcomp-info), or NULL */
    int bare;            /* a bare stream (pim_load_stream_file_opts), not a vector's program:
                          * its groups come from config.array_group_map only */
} pim_reader;

/* Bounds what cJSON allocates in this thread (every node and string of a parse) to limit
 * bytes until pim_json_limit_end, which returns 1 when an allocation was refused (the parse
 * then failed for want of memory, not for bad JSON). Frees are not credited: one parse's
 * tree is what is bounded. */
void pim_json_limit_begin(uint64_t limit);
/* One parsed JSON value (an instruction, a vector's member, a config) may take at most this
 * share of the budget: the largest real one (a stream's array_group_map) takes under 1 MiB. */
#define PIM_JSON_TREE_SHARE 32u
int pim_json_limit_end(void);

/* Charges bytes (what: "the instructions", ...) to r's budget before they are allocated;
 * past the budget, PIM_E_INPUT naming file, core, index and field (-1, -1, "" for none). */
pim_status pim_rd_charge(pim_reader *r, uint64_t bytes, long core, long index, const char *field,
                         const char *what);

/* n bytes as "123 bytes", "4.0 MiB" or "1.5 GiB". */
void pim_fmt_bytes(uint64_t n, char *out, size_t len);

/* " (this looks like PIMCOMP-NN output: try --dialect pimcomp)" */
extern const char pim_dialect_hint[];

/* Reads the file at path (plain or gzip, within the budget max_memory, 0: the default) into
 * *text (owned by the caller, free()) and sets up *r to walk it (strict, errors into err). A
 * NUL byte in the text is refused. */
pim_status pim_rd_open(pim_reader *r, const char *path, uint64_t max_memory, char **text,
                       pim_error *err);

/* PIM_OK when [text, text + len) holds no NUL byte; else PIM_E_INPUT locating it. */
pim_status pim_text_no_nul(const char *path, const char *text, size_t len, pim_error *err);

/* The hygiene cJSON does not check, on the value v parsed from [raw, raw_end): no object
 * holds a name twice, no string holds an escaped NUL (cJSON would cut it there). 0, or -1
 * with the key (the name given twice, or the member the NUL is in) in key, what is wrong in
 * what, and *at the NUL's position (else NULL). */
int pim_json_clean(const cJSON *v, const char *raw, const char *raw_end, char *key, size_t keyn,
                   char *what, size_t n, const char **at);

/* p past JSON white space. */
const char *pim_rd_ws(const char *p);
/* A syntax error at `at` (located unless r->quiet); returns PIM_E_INPUT. */
pim_status pim_rd_syntax(pim_reader *r, const char *at, const char *what);
/* Parses one JSON value at p; *end is set past it. NULL (error set) on bad JSON, or on what
 * pim_json_clean refuses. The value is owned by the caller (cJSON_Delete). */
cJSON *pim_rd_value(pim_reader *r, const char *p, const char **end);
/* pim_rd_value without pim_json_clean: the caller checks (an instruction, to name its core
 * and index). */
cJSON *pim_rd_value_unchecked(pim_reader *r, const char *p, const char **end);

/* Called for each member of an object: consumes the value at val, sets *val_end past it. */
typedef pim_status (*pim_member_fn)(pim_reader *r, void *ud, const char *key, const char *val,
                                    const char **val_end);
/* Walks the object at p, calling fn for each member; *end past the object. */
pim_status pim_rd_object(pim_reader *r, const char *p, const char **end, pim_member_fn fn,
                         void *ud);

/* Called for each element of an array: consumes the value at val, sets *val_end past it. */
typedef pim_status (*pim_element_fn)(pim_reader *r, void *ud, size_t index, const char *val,
                                     const char **val_end);
/* Walks the array at p, calling fn for each element; *end past the array. */
pim_status pim_rd_array(pim_reader *r, const char *p, const char **end, pim_element_fn fn,
                        void *ud);

/* The end of the array starting at p ('['), found without parsing it: brackets and braces
 * are counted outside strings, nothing else is checked. *count is its number of elements
 * (exact when the array is well formed). NULL when the document ends first. */
const char *pim_rd_skip_array(const char *p, const char *lim, size_t *count);

/* Finds a number literal written with a fraction or exponent in [p, e); on success copies the
 * member name it belongs to into key and the literal into lit and returns 1. */
int pim_rd_find_float(const char *p, const char *e, char *key, size_t keyn, char *lit,
                      size_t litn);

/* "core12" -> 12; -1 when the key is not a core name. */
long pim_core_key(const char *key);

/* Replaces *dst (owned, may be NULL) by a copy of src. PIM_E_NOMEM with *err on failure. */
pim_status pim_set_str(char **dst, const char *src, pim_error *err);

/* ------------------------------------------------------------------ insn.c */

/* A small hash table of names, for a lookup with about one string compare. */
#define PIM_NAME_SLOTS 128 /* a power of two, above the number of names */
typedef struct pim_name_index {
    const char *const *names; /* borrowed */
    uint8_t slot[PIM_NAME_SLOTS]; /* index + 1 of the name there, 0 empty */
} pim_name_index;

/* The names an instruction may use: the ops, and the members of an instruction object (the
 * ISA's top-level fields in the table's order, then "op" and "offset"). Built once per load,
 * before any parser thread starts; then only read. */
typedef struct pim_insn_names {
    const char *ops[PIM_OP_COUNT];
    pim_name_index op_ix;
    const char *keys[PIM_FIELD_COUNT + 2];
    uint32_t flag[PIM_FIELD_COUNT + 2]; /* keys[i]'s field, i < n_fields */
    int n_fields, k_op, k_offset;
    pim_name_index key_ix;
} pim_insn_names;

void pim_insn_names_init(pim_insn_names *x);

/* One instruction being parsed. */
typedef struct pim_insn_ctx {
    pim_reader *r;
    const pim_insn_names *names;
    uint32_t n_cores;
    long core;
    size_t index;
    const char *opn;     /* the op's name, once known */
    uint32_t takes;      /* the fields it takes in the dialect */
    int64_t len_v, rd_v; /* pimcomp: lmv/lldi "len", send "rd" (merged after the fields) */
    int has_frac;        /* out, pimcomp: the lldi's imm is a fraction, frac_v (rule 9); its
                          * byte and F are set once its vvmul is known (pim_fixed_point) */
    double frac_v;
} pim_insn_ctx;

/* Parses the instruction object o, whose raw text is [raw, raw_end), into *in, in
 * x->r->dialect. PIM_E_INPUT with file, core, index, op and field in x->r->err. */
pim_status pim_parse_insn(pim_insn_ctx *x, const cJSON *o, const char *raw, const char *raw_end,
                          pim_insn *in);

/* ------------------------------------------------------------------ fixed.c */

/* A core's registers followed as known constants through its instructions (docs/dialects.md,
 * "The input region"): at the start every register is known to be 0. */
typedef struct pim_regs_walk {
    uint32_t val[PIM_NREGS];
    uint32_t known; /* bit r: val[r] is $r */
} pim_regs_walk;
void pim_regs_init(pim_regs_walk *w);
/* Follows in when it is a scalar register op (nop sldi sadd ssub smul saddi smuli: its rd is
 * known when its sources are) and returns 1; else 0, w unchanged (sld is the caller's: its rd
 * becomes unknown after the read). */
int pim_regs_step(pim_regs_walk *w, const pim_insn *in);

/* The largest F of a fixed-point constant (rule 9); the vvmul unit takes 0..31. */
#define PIM_FIXED_MAX_F 31u
/* A fractional lldi imm of a core, in instruction order. */
typedef struct pim_frac_imm {
    size_t index;
    double value;
} pim_frac_imm;
/* Rule 9 on core `core`'s n instructions: each fractional lldi of fr[] (in order) is paired
 * with the vvmul that reads it, its byte and both frac members set. PIM_E_INPUT naming the
 * lldi or the vvmul when the pair is not as the rule says. */
pim_status pim_fixed_point(pim_reader *r, long core, pim_insn *v, size_t n,
                           const pim_frac_imm *fr, size_t n_fr);

/* ------------------------------------------------------------------ info.c */

/* What a PIMCOMP-NN VerificationInfo.json says of the array groups: AG_info's crossbar
 * counts and, per core, the group ("source") of each MVMUL in order. Opaque. */
typedef struct pim_pc_info pim_pc_info;
/* Reads it (plain or gzip) within the budget max_memory; *out owned by the caller
 * (pim_pc_info_free). PIM_E_INPUT naming file, core, index and field. */
pim_status pim_pc_info_read(const char *path, uint64_t max_memory, pim_pc_info **out,
                            pim_error *err);
void pim_pc_info_free(pim_pc_info *in); /* NULL is ignored */
/* The bytes it holds (charged to the stream's load). */
uint64_t pim_pc_info_bytes(const pim_pc_info *in);
/* Applies it to the loaded program p and the stream's config (*config, owned, may be NULL:
 * then created). Raw (no config.array_group_map): each mvmul.group must be its group's
 * crossbar count and becomes the core-local index; the map is added to *config. Converted
 * (a map): each group index and the map must be what the VerificationInfo derives. Any
 * disagreement: PIM_E_INPUT naming r's file, the core and the instruction. */
pim_status pim_pc_info_apply(pim_reader *r, const pim_pc_info *in, pim_program *p,
                             cJSON **config);

/* ------------------------------------------------------------------ pass2.c, stream.c */

/* The end of the global memory the reads of one core's instructions reach (docs/dialects.md,
 * "The input region"); gsize when an address cannot be worked out. */
uint64_t pim_input_end(const pim_insn *v, size_t n, pim_dialect d, uint64_t gsize);

/* A core's array in the document, found by pass 1. */
typedef struct pim_core_span {
    long core;
    const char *start, *end; /* '[' .. past ']' */
    size_t count;            /* elements (exact when well formed) */
} pim_core_span;

/* Pass 2: parses every span's array into p on `threads` threads (0: automatic, from the
 * document's size doc_bytes); sets p->gmem_input_end. The error is the one a one-thread
 * load reports. */
pim_status pim_read_cores(pim_reader *r, pim_program *p, const pim_insn_names *names,
                          const pim_core_span *spans, size_t n_spans, int threads,
                          size_t doc_bytes);

/* Reads a stream whose text starts at text into a new program for arch, in r->dialect;
 * *end past it. core_cnt_given: the architecture config named its core count. *out owned
 * by the caller. */
pim_status pim_read_stream(pim_reader *r, const char *text, const char **end,
                           const pim_config *arch, int core_cnt_given, int threads,
                           pim_program **out);

#endif /* PIM_LOAD_INTERNAL_H */
