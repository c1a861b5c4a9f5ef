// vl_print.h - where Verilator's runtime prints. build_model.sh compiles the runtime objects
// with -DVL_PRINTF=pim_vl_printf -include vl_print.h, so the RTL's $error messages (its
// assertions) reach the shim instead of stdout: a unit failure quotes them, and the
// harness's stdout (reports, JSON) stays its own. Defined in model_port.h.
#ifndef PIM_VL_PRINT_H
#define PIM_VL_PRINT_H

void pim_vl_printf(const char *format, ...) __attribute__((format(printf, 1, 2)));

#endif
