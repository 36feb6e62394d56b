/*
 * One prime field in Montgomery form, instantiated twice (fp.h, fr.h) by defining F(name), the
 * constant prefix K(name) and including this file.
 *
 * An element is 9 limbs of 29 bits (u32 each, little-endian), value times R = 2^261 mod m.
 * Why 29 bits: wasm has no 64x64->128 multiply, but a 29x29-bit product fits in 58 bits, so up
 * to 64 of them can be summed in a u64 before a carry is needed. The multiply therefore adds
 * products and reduction terms into 64-bit columns without carrying between limbs, except the
 * one carry per reduction step that Montgomery needs, and normalises once at the end. In V8
 * (Node 20, this project's 2-core Xeon) it runs 44 ns; 8 limbs of 32 bits, which need carries
 * on every product, measured 96 ns, and ffjavascript's multiply 84 ns.
 *
 * Invariants, relied on by every caller:
 *  - limbs are normalised (each < 2^29) on output of every function here;
 *  - "weak" elements are < 2m; mul/sqr accept inputs < 8m and return < 2m (the result is
 *    < m + a*b/R and R > 2^7 m); add/sub take and return weak elements;
 *  - only canon() returns the unique representative in [0, m).
 */

#ifndef NL
#define NL 9
#define LIMB_BITS 29
#define LIMB_MASK 0x1fffffffu
#endif

static const u32 F(mod)[NL] = K(MOD_INIT);
static const u32 F(mod2)[NL] = K(MOD2_INIT);
static const u32 F(one)[NL] = K(ONE_INIT);

/* Montgomery reduction of a 17-limb product held unnormalised in t[0..17]. */
static inline void F(redc)(u32 *restrict z, u64 *t) {
  _Pragma("clang loop unroll(full)")
  for (int i = 0; i < NL; i++) {
    u64 m = ((u32)t[i] * K(MU)) & LIMB_MASK;
    _Pragma("clang loop unroll(full)")
    for (int j = 0; j < NL; j++) t[i + j] += m * F(mod)[j];
    t[i + 1] += t[i] >> LIMB_BITS; /* low 29 bits of t[i] are now zero by choice of m */
  }
  u64 c = 0;
  _Pragma("clang loop unroll(full)")
  for (int j = 0; j < NL; j++) {
    c += t[NL + j];
    z[j] = (u32)c & LIMB_MASK;
    c >>= LIMB_BITS;
  }
}

/*
 * Operand scanning: row i of products, then reduction step i, then the 9-column window shifts
 * down one limb. Each column still sums at most 18 products (< 2^63) with a single carry per
 * step. Measured in wasm under V8: 44 ns against 50 ns for products-then-redc (the form sqr
 * keeps, because halving its products wins there: 35 ns).
 */
static inline void F(mul)(u32 *z, const u32 *a, const u32 *b) {
  u64 t[NL];
  _Pragma("clang loop unroll(full)")
  for (int j = 0; j < NL; j++) t[j] = 0;
  _Pragma("clang loop unroll(full)")
  for (int i = 0; i < NL; i++) {
    u64 ai = a[i];
    _Pragma("clang loop unroll(full)")
    for (int j = 0; j < NL; j++) t[j] += ai * b[j];
    u64 m = ((u32)t[0] * K(MU)) & LIMB_MASK;
    u64 c = (t[0] + m * F(mod)[0]) >> LIMB_BITS;
    _Pragma("clang loop unroll(full)")
    for (int j = 1; j < NL; j++) t[j - 1] = t[j] + m * F(mod)[j];
    t[0] += c;
    t[NL - 1] = 0;
  }
  u64 c = 0;
  _Pragma("clang loop unroll(full)")
  for (int j = 0; j < NL; j++) {
    c += t[j];
    z[j] = (u32)c & LIMB_MASK;
    c >>= LIMB_BITS;
  }
}

static inline void F(sqr)(u32 *z, const u32 *a) {
  /* Off-diagonal products once, doubled: 45 multiplies instead of 81. */
  u64 t[2 * NL + 1] = {0};
  _Pragma("clang loop unroll(full)")
  for (int i = 0; i < NL; i++) {
    _Pragma("clang loop unroll(full)")
    for (int j = i + 1; j < NL; j++) t[i + j] += (u64)a[i] * a[j];
  }
  _Pragma("clang loop unroll(full)")
  for (int k = 0; k < 2 * NL - 1; k++) t[k] <<= 1;
  _Pragma("clang loop unroll(full)")
  for (int i = 0; i < NL; i++) t[2 * i] += (u64)a[i] * a[i];
  F(redc)(z, t);
}

/* z = x - s if x >= s else x, in constant time (branches would mispredict on random data). */
static inline void F(csub)(u32 *z, const u32 *x, const u32 *s) {
  u32 d[NL];
  int32_t b = 0;
  _Pragma("clang loop unroll(full)")
  for (int j = 0; j < NL; j++) {
    int32_t v = (int32_t)x[j] - (int32_t)s[j] + b;
    d[j] = (u32)v & LIMB_MASK;
    b = v >> LIMB_BITS; /* arithmetic shift: 0 or -1 */
  }
  u32 keep = (u32)b; /* all ones when x < s */
  _Pragma("clang loop unroll(full)")
  for (int j = 0; j < NL; j++) z[j] = (x[j] & keep) | (d[j] & ~keep);
}

static inline void F(add)(u32 *z, const u32 *a, const u32 *b) {
  u32 s[NL];
  u32 c = 0;
  _Pragma("clang loop unroll(full)")
  for (int j = 0; j < NL; j++) {
    c += a[j] + b[j];
    s[j] = c & LIMB_MASK;
    c >>= LIMB_BITS;
  }
  F(csub)(z, s, F(mod2));
}

/* a + b without reduction: < 4m from weak inputs, only to be fed to mul/sqr. */
static inline void F(add_lazy)(u32 *z, const u32 *a, const u32 *b) {
  u32 c = 0;
  _Pragma("clang loop unroll(full)")
  for (int j = 0; j < NL; j++) {
    c += a[j] + b[j];
    z[j] = c & LIMB_MASK;
    c >>= LIMB_BITS;
  }
}

static inline void F(sub)(u32 *z, const u32 *a, const u32 *b) {
  /* a - b, plus 2m when it went negative: both inputs < 2m keep the result in [0, 2m). */
  u32 d[NL];
  int32_t br = 0;
  _Pragma("clang loop unroll(full)")
  for (int j = 0; j < NL; j++) {
    int32_t v = (int32_t)a[j] - (int32_t)b[j] + br;
    d[j] = (u32)v & LIMB_MASK;
    br = v >> LIMB_BITS;
  }
  u32 mask = (u32)br;
  u32 c = 0;
  _Pragma("clang loop unroll(full)")
  for (int j = 0; j < NL; j++) {
    c += d[j] + (F(mod2)[j] & mask);
    z[j] = c & LIMB_MASK;
    c >>= LIMB_BITS;
  }
}

static inline void F(neg)(u32 *z, const u32 *a) { F(sub)(z, F(mod2), a), F(csub)(z, z, F(mod2)); }

static inline void F(canon)(u32 *z, const u32 *a) { F(csub)(z, a, F(mod)); }

static inline int F(is_zero)(const u32 *a) {
  /* A weak element is zero when it is 0 or exactly m. */
  u32 o0 = 0, om = 0;
  _Pragma("clang loop unroll(full)")
  for (int j = 0; j < NL; j++) o0 |= a[j], om |= a[j] ^ F(mod)[j];
  return (o0 == 0) | (om == 0);
}

static inline void F(copy)(u32 *z, const u32 *a) {
  _Pragma("clang loop unroll(full)")
  for (int j = 0; j < NL; j++) z[j] = a[j];
}

static inline void F(set_zero)(u32 *z) {
  _Pragma("clang loop unroll(full)")
  for (int j = 0; j < NL; j++) z[j] = 0;
}

static inline void F(set_one)(u32 *z) { F(copy)(z, F(one)); }

/* Inversion by Fermat (a^(m-2)); 0 maps to 0. Only called once per batch of hundreds of
 * elements, where its ~300 multiplies are amortised, so a constant-time ladder is not needed. */
MAYBE_UNUSED static void F(inv)(u32 *z, const u32 *a) {
  static const u32 e[8] = K(EXP_INV_INIT);
  u32 acc[NL], base[NL];
  F(copy)(base, a);
  F(set_one)(acc);
  for (int w = 7; w >= 0; w--)
    for (int bit = 31; bit >= 0; bit--) {
      F(sqr)(acc, acc);
      if ((e[w] >> bit) & 1) F(mul)(acc, acc, base);
    }
  F(copy)(z, acc);
}

/* 8 little-endian u32 words (any value < 2^256) to 9 limbs of 29 bits. */
static inline void F(from_words)(u32 *z, const u32 *w) {
  _Pragma("clang loop unroll(full)")
  for (int j = 0; j < NL; j++) {
    int bit = j * LIMB_BITS, k = bit >> 5, s = bit & 31;
    u64 v = w[k] >> s;
    if (k + 1 < 8) v |= (u64)w[k + 1] << (32 - s);
    z[j] = (u32)v & LIMB_MASK;
  }
}

/* 9 limbs (value < 2^256) to 8 little-endian u32 words. */
static inline void F(to_words)(u32 *w, const u32 *z) {
  _Pragma("clang loop unroll(full)")
  for (int k = 0; k < 8; k++) w[k] = 0;
  _Pragma("clang loop unroll(full)")
  for (int j = 0; j < NL; j++) {
    int bit = j * LIMB_BITS, k = bit >> 5, s = bit & 31;
    w[k] |= z[j] << s;
    if (s > 32 - LIMB_BITS && k + 1 < 8) w[k + 1] |= z[j] >> (32 - s);
  }
}

/* ffjavascript/zkey form (x*2^256 mod m, 32 bytes LE) to ours (x*2^261): one multiply by 2^266. */
static inline void F(from_ff)(u32 *z, const u32 *w) {
  static const u32 k[NL] = K(FROM_FF_INIT);
  u32 t[NL];
  F(from_words)(t, w);
  F(mul)(z, t, k);
}

/* Ours to ffjavascript form, canonical (< m) as ffjavascript's own outputs are. */
static inline void F(to_ff)(u32 *w, const u32 *a) {
  static const u32 k[NL] = K(TO_FF_INIT);
  u32 t[NL];
  F(mul)(t, a, k);
  F(canon)(t, t);
  F(to_words)(w, t);
}

/* Standard integer form (32 bytes LE, < 2^256) to Montgomery; inputs >= m are reduced. */
static inline void F(from_std)(u32 *z, const u32 *w) {
  static const u32 r2[NL] = K(R2_INIT);
  u32 t[NL];
  F(from_words)(t, w);
  F(mul)(z, t, r2);
}

static inline void F(to_std)(u32 *w, const u32 *a) {
  static const u32 one[NL] = {1};
  u32 t[NL];
  F(mul)(t, a, one);
  F(canon)(t, t);
  F(to_words)(w, t);
}
