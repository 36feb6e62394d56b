/*
 * Field entry points that exist only so the differential tests can reach Fp and Fr one
 * operation at a time, through the same inlined code the MSM runs. Elements cross the boundary
 * in internal form (36 bytes) so tests can chain operations on unreduced intermediates, with
 * converters to and from the ffjavascript/zkey form and the standard form.
 */
#include "fp.h"
#include "fr.h"

enum { OP_ADD, OP_SUB, OP_MUL, OP_SQR, OP_NEG, OP_INV, OP_CANON };

#define FIELD_OPS(f)                                                                          \
  TEST_EXPORT(f##_op) void f##_op_export(u32 op, u32 *z, const u32 *a, const u32 *b) {           \
    switch (op) {                                                                             \
      case OP_ADD: f##_add(z, a, b); break;                                                   \
      case OP_SUB: f##_sub(z, a, b); break;                                                   \
      case OP_MUL: f##_mul(z, a, b); break;                                                   \
      case OP_SQR: f##_sqr(z, a); break;                                                      \
      case OP_NEG: f##_neg(z, a); break;                                                      \
      case OP_INV: f##_inv(z, a); break;                                                      \
      default: f##_canon(z, a); break;                                                        \
    }                                                                                         \
  }                                                                                           \
  TEST_EXPORT(f##_from_ff) void f##_from_ff_export(u32 *z, const u32 *w) { f##_from_ff(z, w); }  \
  TEST_EXPORT(f##_to_ff) void f##_to_ff_export(u32 *w, const u32 *z) { f##_to_ff(w, z); }        \
  TEST_EXPORT(f##_from_std) void f##_from_std_export(u32 *z, const u32 *w) { f##_from_std(z, w); } \
  TEST_EXPORT(f##_to_std) void f##_to_std_export(u32 *w, const u32 *z) { f##_to_std(w, z); }

FIELD_OPS(fp)
FIELD_OPS(fr)
