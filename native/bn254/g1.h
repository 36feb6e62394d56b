/* G1 of BN254: y^2 = x^3 + 3 over Fp; the point formulas of curve_template.h. */
#ifndef BN254_G1_H
#define BN254_G1_H
#include "fp.h"

typedef u32 fp_el[NL];
#define C(name) g1_##name
#define E(name) fp_##name
#define ELEM fp_el
#define EW 8
#include "curve_template.h"
#undef C
#undef E
#undef ELEM
#undef EW

#endif
