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
 *
 * Instantiated per group like curve_template.h (same C, E, ELEM macros): batch_add.h for G1,
 * g2.h for G2, where an Fp2 inversion is one Fp inversion of the norm.
 */
#ifndef BATCH_CHUNK
/* Pairs per shared inversion: a Fermat inversion costs about 380 multiplies, about 1% of a
 * 4096-pair chunk, and a chunk's inputs (600 kB for G1) still sit in L2 for the second pass. */
#define BATCH_CHUNK 4096
enum { PAIR_ADD, PAIR_DBL, PAIR_TAKE_A, PAIR_TAKE_B, PAIR_INF };
#endif

typedef struct {
  ELEM *suffix; /* suffix[k] = den[k] * den[k+1] * ... over the chunk */
  ELEM *den;    /* kept from the first pass: recomputing costs more than the memory */
  u8 *kind;
} C(batch_ws);


/* mem: BATCH_CHUNK * (2 * sizeof(ELEM) + 1) bytes, 4-byte aligned. */
static inline void C(batch_ws_init)(C(batch_ws) *ws, u8 *mem) {
  ws->suffix = (ELEM *)mem;
  ws->den = (ELEM *)(mem + BATCH_CHUNK * sizeof(ELEM));
  ws->kind = mem + 2 * BATCH_CHUNK * sizeof(ELEM);
}

/* Classifies a pair and gives its denominator: x2 - x1, or 2y for a doubling. Equal x with
 * different y means q = -p (the sum is infinity): no point of G1 has y = 0. */
static inline u8 C(pair_classify)(u32 *den, const C(aff) *a, const C(aff) *b) {
  if (C(aff_is_inf)(a)) return C(aff_is_inf)(b) ? PAIR_INF : PAIR_TAKE_B;
  if (C(aff_is_inf)(b)) return PAIR_TAKE_A;
  E(sub)(den, b->x, a->x);
  if (!E(is_zero)(den)) return PAIR_ADD;
  E(sub)(den, b->y, a->y);
  if (!E(is_zero)(den)) return PAIR_INF;
  E(add)(den, a->y, a->y);
  return PAIR_DBL;
}

static void C(batch_chunk)(C(aff) *buf, const u32 *src, const u32 *dst, u32 count, C(batch_ws) *ws) {
  const u32 *prev = E(one);
  for (u32 k = count; k-- > 0;) {
    const C(aff) *a = &buf[src[k]], *b = a + 1;
    u8 kind = C(pair_classify)(ws->den[k], a, b);
    ws->kind[k] = kind;
    if (kind <= PAIR_DBL) E(mul)(ws->suffix[k], prev, ws->den[k]);
    else E(copy)(ws->suffix[k], prev);
    prev = ws->suffix[k];
  }
  ELEM inv, ik, lam, t;
  E(inv)(inv, prev); /* 1/(product of every denominator of the chunk) */
  for (u32 k = 0; k < count; k++) {
    const C(aff) *a = &buf[src[k]], *b = a + 1;
    C(aff) *r = &buf[dst[k]];
    u8 kind = ws->kind[k];
    if (kind == PAIR_TAKE_A || kind == PAIR_TAKE_B) {
      const C(aff) *keep = kind == PAIR_TAKE_A ? a : b;
      if (r != keep) *r = *keep;
      continue;
    }
    if (kind == PAIR_INF) {
      C(aff_set_inf)(r);
      continue;
    }
    /* inv = 1/(den_k * den_{k+1} * ...): the suffix after k gives 1/den_k. */
    if (k + 1 < count) {
      E(mul)(ik, inv, ws->suffix[k + 1]);
      E(mul)(inv, inv, ws->den[k]);
    } else {
      E(copy)(ik, inv);
    }
    if (kind == PAIR_ADD) {
      E(sub)(t, b->y, a->y);
    } else {
      E(sqr)(t, a->x);
      E(add_lazy)(lam, t, t), E(add_lazy)(t, lam, t); /* 3x^2 < 6p: a valid mul input */
    }
    E(mul)(lam, t, ik);
    ELEM x3;
    E(sqr)(x3, lam);
    E(sub)(x3, x3, a->x), E(sub)(x3, x3, b->x);
    E(sub)(t, a->x, x3);
    E(mul)(t, lam, t);
    E(sub)(r->y, t, a->y);
    E(copy)(r->x, x3);
  }
}

/* All pairs, BATCH_CHUNK at a time; chunks run in order, which the layout contract allows. */
static void C(batch_pair_add)(C(aff) *buf, const u32 *src, const u32 *dst, u32 count, C(batch_ws) *ws) {
  for (u32 s = 0; s < count; s += BATCH_CHUNK) {
    u32 m = count - s < BATCH_CHUNK ? count - s : BATCH_CHUNK;
    C(batch_chunk)(buf, src + s, dst + s, m, ws);
  }
}
