/*
 * Many independent affine additions sharing one field inversion (Montgomery's trick).
 *
 * An affine add needs 1/(x2 - x1); inverting a product of k denominators once and peeling the
 * individual inverses off costs 3 multiplies per element, so an addition costs 5M + 1S plus
 * 1/k of an inversion, against 8M + 2S for the cheapest projective (XYZZ mixed) addition.
 * This is where an MSM spends most of its time, so the bucket sums are built from it.
 *
 * Layout contract (what makes in-place work): pair k reads buf[src[k]] and buf[src[k] + 1]
 * and writes buf[dst[k]], with dst[k] <= src[k] and dst[k] < src[j] for every later pair j.
 * The product pass therefore runs backwards (suffix products) and the pass that writes results
 * runs forwards, so no result overwrites an input that a later pair still has to read.
 */
#ifndef BN254_BATCH_ADD_H
#define BN254_BATCH_ADD_H
#include "g1.h"

/* Pairs per shared inversion: a Fermat inversion costs about 380 multiplies, about 1% of a
 * 4096-pair chunk, and a chunk's inputs (600 kB) still sit in L2 for the second pass. */
#define BATCH_CHUNK 4096

enum { PAIR_ADD, PAIR_DBL, PAIR_TAKE_A, PAIR_TAKE_B, PAIR_INF };

typedef struct {
  u32 (*suffix)[NL]; /* suffix[k] = den[k] * den[k+1] * ... over the chunk */
  u32 (*den)[NL];    /* kept from the first pass: recomputing costs more than the memory */
  u8 *kind;
} batch_ws;

#define BATCH_WS_BYTES (BATCH_CHUNK * (2 * NL * 4 + 1))

/* mem: BATCH_WS_BYTES, 4-byte aligned. */
static inline void batch_ws_init(batch_ws *ws, u8 *mem) {
  ws->suffix = (u32(*)[NL])mem;
  ws->den = (u32(*)[NL])(mem + BATCH_CHUNK * NL * 4);
  ws->kind = mem + 2 * BATCH_CHUNK * NL * 4;
}

/* Classifies a pair and gives its denominator: x2 - x1, or 2y for a doubling. Equal x with
 * different y means q = -p (the sum is infinity): no point of G1 has y = 0. */
static inline u8 pair_classify(u32 *den, const g1_aff *a, const g1_aff *b) {
  if (g1_aff_is_inf(a)) return g1_aff_is_inf(b) ? PAIR_INF : PAIR_TAKE_B;
  if (g1_aff_is_inf(b)) return PAIR_TAKE_A;
  fp_sub(den, b->x, a->x);
  if (!fp_is_zero(den)) return PAIR_ADD;
  fp_sub(den, b->y, a->y);
  if (!fp_is_zero(den)) return PAIR_INF;
  fp_add(den, a->y, a->y);
  return PAIR_DBL;
}

static void batch_chunk(g1_aff *buf, const u32 *src, const u32 *dst, u32 count, batch_ws *ws) {
  const u32 *prev = fp_one;
  for (u32 k = count; k-- > 0;) {
    const g1_aff *a = &buf[src[k]], *b = a + 1;
    u8 kind = pair_classify(ws->den[k], a, b);
    ws->kind[k] = kind;
    if (kind <= PAIR_DBL) fp_mul(ws->suffix[k], prev, ws->den[k]);
    else fp_copy(ws->suffix[k], prev);
    prev = ws->suffix[k];
  }
  u32 inv[NL], ik[NL], lam[NL], t[NL];
  fp_inv(inv, prev); /* 1/(product of every denominator of the chunk) */
  for (u32 k = 0; k < count; k++) {
    const g1_aff *a = &buf[src[k]], *b = a + 1;
    g1_aff *r = &buf[dst[k]];
    u8 kind = ws->kind[k];
    if (kind == PAIR_TAKE_A || kind == PAIR_TAKE_B) {
      const g1_aff *keep = kind == PAIR_TAKE_A ? a : b;
      if (r != keep) *r = *keep;
      continue;
    }
    if (kind == PAIR_INF) {
      g1_aff_set_inf(r);
      continue;
    }
    /* inv = 1/(den_k * den_{k+1} * ...): the suffix after k gives 1/den_k. */
    if (k + 1 < count) {
      fp_mul(ik, inv, ws->suffix[k + 1]);
      fp_mul(inv, inv, ws->den[k]);
    } else {
      fp_copy(ik, inv);
    }
    if (kind == PAIR_ADD) {
      fp_sub(t, b->y, a->y);
    } else {
      fp_sqr(t, a->x);
      fp_add_lazy(lam, t, t), fp_add_lazy(t, lam, t); /* 3x^2 < 6p: a valid mul input */
    }
    fp_mul(lam, t, ik);
    u32 x3[NL];
    fp_sqr(x3, lam);
    fp_sub(x3, x3, a->x), fp_sub(x3, x3, b->x);
    fp_sub(t, a->x, x3);
    fp_mul(t, lam, t);
    fp_sub(r->y, t, a->y);
    fp_copy(r->x, x3);
  }
}

/* All pairs, BATCH_CHUNK at a time; chunks run in order, which the layout contract allows. */
static void batch_pair_add(g1_aff *buf, const u32 *src, const u32 *dst, u32 count, batch_ws *ws) {
  for (u32 s = 0; s < count; s += BATCH_CHUNK) {
    u32 m = count - s < BATCH_CHUNK ? count - s : BATCH_CHUNK;
    batch_chunk(buf, src + s, dst + s, m, ws);
  }
}

#endif
