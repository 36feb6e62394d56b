/* Fp, the BN254 base field (coordinates of G1 points): field_template.h with the FP_ constants. */
#ifndef BN254_FP_H
#define BN254_FP_H
#include "base.h"
#include "constants.h"

#define F(name) fp_##name
#define K(name) FP_##name
#include "field_template.h"
#undef F
#undef K

#endif
