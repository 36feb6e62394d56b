/*
 * G2 of BN254: the order-r subgroup of the sextic twist y^2 = x^3 + 3/(9 + u) over Fp2, with
 * the point formulas of curve_template.h and the batched affine adds of batch_template.h. The
 * zkey byte form of a point is x (c0, c1) then y (c0, c1): 128 bytes, infinity all zeros.
 */
#ifndef BN254_G2_H
#define BN254_G2_H
#include "fp2.h"

#define C(name) g2_##name
#define E(name) fp2_##name
#define ELEM fp2_el
#define EW 16
#include "curve_template.h"
#include "batch_template.h"
#undef C
#undef E
#undef ELEM
#undef EW

#endif
