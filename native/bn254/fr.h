/* Fr, the BN254 scalar field (witness values, FFT domain): field_template.h with FR_ constants. */
#ifndef BN254_FR_H
#define BN254_FR_H
#include "base.h"
#include "constants.h"

#define F(name) fr_##name
#define K(name) FR_##name
#include "field_template.h"
#undef F
#undef K

#endif
