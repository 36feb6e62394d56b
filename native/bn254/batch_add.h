/* Batched affine additions on G1 (batch_template.h). */
#ifndef BN254_BATCH_ADD_H
#define BN254_BATCH_ADD_H
#include "g1.h"

#define C(name) g1_##name
#define E(name) fp_##name
#define ELEM fp_el
#include "batch_template.h"
#undef C
#undef E
#undef ELEM

/* Work space bytes of one g1_batch_ws. */
#define BATCH_WS_BYTES (BATCH_CHUNK * (2 * NL * 4 + 1))
#endif
