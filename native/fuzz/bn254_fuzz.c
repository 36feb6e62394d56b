/*
 * libFuzzer target for bn254.wasm's C entry points, built for the host with AddressSanitizer and
 * UndefinedBehaviorSanitizer (scripts/native/fuzz.mjs). The first input byte picks the entry
 * point; the rest are its arguments: points and scalars as the host would lay them out, with
 * counts, windows and sizes taken from the input too, bounded so one run stays fast. Points
 * need not be on the curve: the checks must refuse them and the arithmetic must not misbehave
 * on them; coefficient records may name any matrix, constraint or signal.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned int u32;
u32 bn_g1_check(const u32 *points, u32 count);
u32 bn_g2_check(const u32 *points, u32 count);
void g1_mul_add_ct(u32 *out, const u32 *acc, const u32 *p, const u32 *k);
void g2_mul_add_ct(u32 *out, const u32 *acc, const u32 *p, const u32 *k);
int g1_msm(u32 *out, const u32 *points, const u32 *scalars, u32 n, u32 window, u32 options);
int g2_msm(u32 *out, const u32 *points, const u32 *scalars, u32 n, u32 window, u32 options);
int h_poly(u32 *out, const void *coefs, u32 ncoef, const u32 *witness, u32 nvars, u32 log_n);
int fr_fft(u32 *a, u32 log_n, u32 inverse);
void bn_wipe(void);

/* A malloc'd copy of exactly `n` bytes (n rounded up to whole words), zero-padded. */
static u32 *copy(const uint8_t *d, size_t have, size_t n) {
  u32 *p = calloc((n + 3) / 4 + 1, 4);
  memcpy(p, d, have < n ? have : n);
  return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 4) return 0;
  uint8_t sel = data[0] % 8, a = data[1], b = data[2];
  data += 3, size -= 3;
  u32 out[64];
  switch (sel) {
    case 0: {
      u32 *p = copy(data, size, size);
      bn_g1_check(p, (u32)(size / 64));
      free(p);
      break;
    }
    case 1: {
      u32 *p = copy(data, size, size);
      bn_g2_check(p, (u32)(size / 128));
      free(p);
      break;
    }
    case 2:
    case 3: {
      size_t pt = sel == 2 ? 64 : 128;
      u32 *acc = copy(data, size, pt), *p = copy(data + (size > pt ? pt : size), size > pt ? size - pt : 0, pt);
      u32 *k = copy(data + (size > 2 * pt ? 2 * pt : size), size > 2 * pt ? size - 2 * pt : 0, 32);
      if (sel == 2) g1_mul_add_ct(out, acc, p, k);
      else g2_mul_add_ct(out, acc, p, k);
      free(acc), free(p), free(k);
      break;
    }
    case 4:
    case 5: {
      size_t pt = sel == 4 ? 64 : 128;
      u32 n = a % 24, window = b % 17 < 2 ? 0 : b % 16;
      u32 *pts = copy(data, size, n * pt), *sc = copy(data + (size > n * pt ? n * pt : size), size > n * pt ? size - n * pt : 0, n * 32);
      if (sel == 4) g1_msm(out, pts, sc, n, window, b >> 7);
      else g2_msm(out, pts, sc, n, window, b >> 7);
      free(pts), free(sc);
      break;
    }
    case 6: {
      u32 log_n = 1 + a % 6, nvars = 1 + b % 32, ncoef = (u32)(size / 44);
      if (ncoef > 256) ncoef = 256;
      u32 *coefs = copy(data, size, ncoef * 44);
      u32 *w = copy(data + ncoef * 44 < data + size ? data + ncoef * 44 : data + size, size > ncoef * 44 ? size - ncoef * 44 : 0, nvars * 32);
      u32 *h = calloc((size_t)32 << log_n, 1);
      h_poly(h, coefs, ncoef, w, nvars, log_n);
      free(coefs), free(w), free(h);
      break;
    }
    default: {
      u32 log_n = a % 8;
      u32 *x = copy(data, size, (size_t)32 << log_n);
      fr_fft(x, log_n, b & 1);
      free(x);
      break;
    }
  }
  bn_wipe();
  return 0;
}
