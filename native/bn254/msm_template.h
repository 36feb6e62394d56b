/*
 * Multi-scalar multiplication by Pippenger's bucket method, instantiated per group (msm.c for
 * G1, g2_msm.c for G2) with the macros of curve_template.h; MSM_GLV(x) enables the endomorphism
 * split: it maps an affine x to that of phi(P) = (beta*x, y) = lambda*P.
 *
 * Per window of c bits, every point goes to the bucket of its signed digit; buckets are summed
 * pairwise in rounds of batched affine additions (batch_template.h) until each holds one point,
 * then the running-sum trick weights bucket j by j in XYZZ coordinates. Sorting the points of a
 * window by bucket first (a counting sort) makes every round's additions independent however
 * unevenly the digits fall: real witnesses are full of 0s and 1s, which put thousands of points
 * in one bucket, and a "one pending add per bucket" scheduler would serialise those.
 *
 * With GLV each scalar k splits into k1 + lambda*k2 of 128 bits, and each base P contributes P
 * with digits of k1 and phi(P) with digits of k2: twice the points over half the windows, which
 * costs the same bucket additions but halves the per-window bucket sums and digit passes. The
 * images are never stored: phi is a group homomorphism, so every bucket has two halves, the
 * points entered for k1 and the bases entered for k2, each half is summed on its own, and phi
 * is applied once to the second half's sum (one field multiply per bucket and window, against
 * one per point if images were made while sorting); a last batched round adds the halves. The
 * number of additions is the same (a + b - 1 for halves of a and b points). Kept bases are
 * 72 bytes per G1 point and 144 per G2 point, half of what stored images cost.
 *
 * Large MSMs run in passes over at most MSM_PASS_POINTS points (bases, and their images with
 * GLV): a pass computes its bases' digits, sorts and sums them per window, and carries each
 * (half-)bucket's sum to the next pass as the first point of its segment. The scratch is then
 * bounded by the pass (G1: 72 MiB of sorted points and 18 MiB of digits for 2^20 points,
 * and with several passes a row of carried sums per window, 21 MiB at c = 15) rather than
 * growing with n; the carried sums cost one addition per non-empty (half-)bucket
 * and window per extra pass, which the window choice counts.
 */
#ifndef MAX_WINDOW
#define MAX_WINDOW 15 /* digits are stored as i16: |d| <= 2^(c-1) must fit */
#define MSM_MAX_BASES (1u << 24)
#endif

typedef struct {
  const C(aff) *pts; /* the kept bases */
  const u32 *idx;    /* 0, or which bases take part: the i-th is pts[idx[i]] (scalars likewise) */
  const u32 *scalars;
  u32 n, glv, ones;  /* ones: every scalar is 1 (one window, one bucket; no digits stored) */
  u32 c, nwin, nsub; /* nsub: half-buckets (GLV) or buckets per window */
  u32 pass;          /* bases per pass */
  i16 *digits;       /* nwin rows of one pass's points: k1 digits of its bases, then k2 digits */
  C(aff) *acc;       /* nwin rows (one when there is one pass) of nsub carried bucket sums */
  C(aff) *scratch;   /* one window of a pass: points sorted by (half-)bucket, carried sums first */
  u32 *start, *len, *cursor, *active, *src, *dst, *msrc, *mdst;
  C(batch_ws) batch;
} C(msm_ctx);

/*
 * Window size by operation count: every window costs about 6 multiplies per point (one
 * batched affine add) plus about 24 per bucket for the running sums (an XYZZ mixed add and a
 * full add); more bits per window means fewer windows but twice the buckets. Each pass after
 * the first adds one batched add per (half-)bucket and window for the carried sums.
 */
static u32 C(choose_window)(u32 m, u32 bits, u32 halves, u32 passes) {
  u32 best = 2;
  u64 best_cost = ~(u64)0;
  for (u32 c = 2; c <= MAX_WINDOW; c++) {
    u32 nwin = (bits + 1 + c - 1) / c;
    u64 nb = 1ull << (c - 1);
    u64 cost = (u64)nwin * (6ull * m + 24ull * nb + 6ull * halves * nb * (passes - 1));
    if (cost < best_cost) best_cost = cost, best = c;
  }
  return best;
}

static inline u32 C(base_of)(const C(msm_ctx) *x, u32 i) { return x->idx ? x->idx[i] : i; }

/* Digits of bases first .. first + k of the MSM into x->digits (row stride: the pass's points);
 * bases at infinity get zero digits so that they are never gathered. */
static void C(pass_digits)(C(msm_ctx) *x, u32 first, u32 k) {
  u32 stride = x->glv ? 2 * k : k;
  for (u32 j = 0; j < k; j++) {
    u32 b = C(base_of)(x, first + j);
    u32 s[8];
    for (int w = 0; w < 8; w++) s[w] = x->scalars[8 * (usize)b + w];
    scalar_reduce(s);
    if (C(aff_is_inf)(&x->pts[b])) for (int w = 0; w < 8; w++) s[w] = 0;
    if (!x->glv) {
      signed_digits(x->digits + j, stride, s, 8, x->c, x->nwin, 0);
      continue;
    }
#ifdef MSM_GLV
    u32 m1[4], m2[4];
    int neg1, neg2;
    glv_split(m1, &neg1, m2, &neg2, s);
    signed_digits(x->digits + j, stride, m1, 4, x->c, x->nwin, neg1);
    signed_digits(x->digits + k + j, stride, m2, 4, x->c, x->nwin, neg2);
#endif
  }
}

/* The (half-)bucket of point j of a pass of k bases for digit d (d != 0): half 1 holds the bases entered for k2. */
static inline u32 C(sub_of)(const C(msm_ctx) *x, int d, u32 j, u32 k) {
  u32 b = (u32)(d < 0 ? -d : d) - 1;
  return x->glv ? 2 * b + (j >= k) : b;
}

/*
 * One window of one pass: sorts the pass's points (and the sums carried from the last pass,
 * when carry) into their (half-)buckets, sums each to one point, and leaves the sums in acc
 * (infinity for an empty one).
 */
static void C(pass_window)(C(msm_ctx) *x, u32 w, u32 first, u32 k, int carry, C(aff) *acc) {
  u32 nsub = x->nsub, np = x->glv ? 2 * k : k;
  const i16 *dig = x->ones ? 0 : x->digits + (usize)w * np;
  for (u32 b = 0; b < nsub; b++) x->len[b] = carry && !C(aff_is_inf)(&acc[b]);
  for (u32 j = 0; j < np; j++) {
    if (x->ones) {
      if (!C(aff_is_inf)(&x->pts[C(base_of)(x, first + j)])) x->len[0]++;
    } else if (dig[j]) {
      x->len[C(sub_of)(x, dig[j], j, k)]++;
    }
  }
  u32 pos = 0, nact = 0;
  for (u32 b = 0; b < nsub; b++) {
    x->start[b] = x->cursor[b] = pos;
    pos += x->len[b];
    if (x->len[b] > 1) x->active[nact++] = b;
    if (carry && !C(aff_is_inf)(&acc[b])) x->scratch[x->cursor[b]++] = acc[b];
  }
  /* Counting sort: (half-)bucket b's points land in scratch[start[b] .. start[b] + len[b]). */
  for (u32 j = 0; j < np; j++) {
    const C(aff) *p = &x->pts[C(base_of)(x, first + (j < k ? j : j - k))];
    if (x->ones) {
      if (!C(aff_is_inf)(p)) x->scratch[x->cursor[0]++] = *p;
      continue;
    }
    int d = dig[j];
    if (!d) continue;
    C(aff) *s = &x->scratch[x->cursor[C(sub_of)(x, d, j, k)]++];
    *s = *p;
    if (d < 0) E(neg)(s->y, s->y);
  }
  /* Rounds of pairwise sums: each halves every bucket, so there are log2(largest) rounds. */
  while (nact) {
    u32 npair = 0, nm = 0, next = 0;
    for (u32 a = 0; a < nact; a++) {
      u32 b = x->active[a], s = x->start[b], l = x->len[b];
      for (u32 i = 0; i < l / 2; i++) x->src[npair] = s + 2 * i, x->dst[npair] = s + i, npair++;
      if (l & 1) x->msrc[nm] = s + l - 1, x->mdst[nm] = s + l / 2, nm++;
      x->len[b] = (l + 1) / 2;
      if (x->len[b] > 1) x->active[next++] = b;
    }
    C(batch_pair_add)(x->scratch, x->src, x->dst, npair, &x->batch);
    /* An odd bucket's last point moves down after the sums: its new slot was an input. */
    for (u32 q = 0; q < nm; q++) x->scratch[x->mdst[q]] = x->scratch[x->msrc[q]];
    nact = next;
  }
  for (u32 b = 0; b < nsub; b++) {
    if (x->len[b]) acc[b] = x->scratch[x->start[b]];
    else C(aff_set_inf)(&acc[b]);
  }
}

/* One window's bucket sums (acc: nsub of them) into out = sum over buckets j of (j + 1) * bucket_j.
 * With GLV, bucket j's second half is mapped by phi and added to its first half first. */
static void C(window_total)(C(msm_ctx) *x, C(aff) *acc, C(xyzz) *out) {
  u32 nb = x->nsub;
#ifdef MSM_GLV
  if (x->glv) {
    nb = x->nsub / 2;
    for (u32 b = 0; b < nb; b++) {
      C(aff) *h = &acc[2 * b + 1];
      if (!C(aff_is_inf)(h)) MSM_GLV(h->x);
      x->src[b] = 2 * b, x->dst[b] = b;
    }
    C(batch_pair_add)(acc, x->src, x->dst, nb, &x->batch);
  }
#endif
  C(xyzz) run, tot;
  C(xyzz_set_inf)(&run), C(xyzz_set_inf)(&tot);
  for (u32 b = nb; b-- > 0;) {
    if (!C(aff_is_inf)(&acc[b])) C(xyzz_madd)(&run, &run, &acc[b]);
    C(xyzz_add)(&tot, &tot, &run);
  }
  *out = tot;
}

/* Pippenger over n bases (x->pts through x->idx) into acc (XYZZ). pass_log2: 0, or a smaller
 * pass size for the tests. Returns 0, or 1 when memory could not grow. */
static int C(msm_core)(C(xyzz) *out, const C(aff) *pts, const u32 *idx, const u32 *scalars, u32 n, u32 window, int glv, int ones, u32 pass_log2) {
  C(xyzz_set_inf)(out);
  if (!n) return 0;
  usize mark = arena_mark();
  C(msm_ctx) x;
  x.pts = pts, x.idx = idx, x.scalars = scalars, x.n = n, x.ones = ones;
  x.glv = glv && !ones;
  u32 per = x.glv ? 2 : 1, bits = x.glv ? 128 : 254;
  u32 max_points = pass_log2 ? 1u << pass_log2 : MSM_PASS_POINTS;
  x.pass = max_points / per;
  u32 passes = (n + x.pass - 1) / x.pass;
  if (passes == 1) x.pass = n;
  u64 m = (u64)per * n;
  if (ones) {
    x.c = 1, x.nwin = 1, x.nsub = 1;
  } else {
    x.c = window >= 2 && window <= MAX_WINDOW ? window : C(choose_window)((u32)m, bits, per, passes);
    x.nwin = (bits + 1 + x.c - 1) / x.c; /* one bit more than the scalars: the top carry */
    x.nsub = per << (x.c - 1);
  }
  u64 np = (u64)per * x.pass, slots = np + x.nsub, rows = passes > 1 ? x.nwin : 1;
  x.digits = ones ? 0 : arena_alloc_array((u64)x.nwin * np, sizeof(i16));
  x.acc = arena_alloc_array(rows * x.nsub, sizeof(C(aff)));
  x.scratch = arena_alloc_array(slots, sizeof(C(aff)));
  x.start = arena_alloc_array(x.nsub, 4), x.len = arena_alloc_array(x.nsub, 4);
  x.cursor = arena_alloc_array(x.nsub, 4), x.active = arena_alloc_array(x.nsub, 4);
  x.msrc = arena_alloc_array(x.nsub, 4), x.mdst = arena_alloc_array(x.nsub, 4);
  x.src = arena_alloc_array(slots / 2 + 1, 4), x.dst = arena_alloc_array(slots / 2 + 1, 4);
  u8 *bw = arena_alloc(BATCH_CHUNK * (2 * sizeof(ELEM) + 1));
  if ((!ones && !x.digits) || !x.acc || !x.scratch || !x.start || !x.len || !x.cursor || !x.active || !x.msrc || !x.mdst || !x.src || !x.dst || !bw)
    return arena_release(mark), 1;
  C(batch_ws_init)(&x.batch, bw);
  for (u32 p = 0; p < passes; p++) {
    u32 first = p * x.pass, k = n - first < x.pass ? n - first : x.pass;
    int last = p + 1 == passes;
    if (!ones) C(pass_digits)(&x, first, k);
    for (u32 w = x.nwin; w-- > 0;) {
      C(aff) *acc = x.acc + (usize)(rows > 1 ? w : 0) * x.nsub;
      C(pass_window)(&x, w, first, k, p > 0, acc);
      if (!last) continue;
      C(xyzz) ws;
      for (u32 d = 0; d < x.c && !C(xyzz_is_inf)(out); d++) C(xyzz_dbl)(out, out);
      C(window_total)(&x, acc, &ws);
      C(xyzz_add)(out, out, &ws);
    }
  }
  arena_release(mark);
  return 0;
}

/*
 * Bases from the zkey byte form into slots first .. first + count of a kept array. The MSM
 * reads bases only, so a prover decodes a zkey's points once and reuses them for every proof
 * (msm_run_decoded).
 */
static void C(decode_points)(C(aff) *pts, u32 first, const u32 *points, u32 count) {
  for (u32 k = 0; k < count; k++) C(aff_from_ff)(&pts[first + k], points + 2 * EW * (usize)k);
}

/* 0 for the scalar 0, 1 for 1, 2 for anything else (values >= r count as "else": the general
 * path reduces them). */
static inline int C(scalar_kind)(const u32 *k) {
  u32 high = 0;
  for (int w = 1; w < 8; w++) high |= k[w];
  return high || k[0] > 1 ? 2 : (int)k[0];
}

/*
 * out (2 * EW words) = sum of scalars[i] * pts[i], affine in zkey form (infinity all zeros);
 * pts: n decoded bases (C(decode_points)); scalars: n * 32 bytes, LE, standard form. window 0
 * picks the window size; glv splits scalars (only where MSM_GLV provides the endomorphism);
 * pass_log2 0 or, for tests, a smaller pass. Returns 0, or 1 when memory could not grow.
 *
 * Witnesses are mostly 0 and 1 (71% of ebsl-64's: 40% zeros, 31% ones). Zeros cost nothing in
 * the bucket passes, but they and the ones count as points when the window size is chosen and
 * every window scans them; so when at least 1/8 of the scalars are 0 or 1, the others form a
 * smaller MSM (its own window size) and the ones are summed as one bucket, both through index
 * lists (4 bytes per base) rather than copies of the points.
 */
static int C(msm_run_decoded)(u32 *out, const C(aff) *pts, const u32 *scalars, u32 n, u32 window, int glv, u32 pass_log2) {
  /* Beyond 2^24 bases the scalars alone (32 bytes each) fill half of wasm32's 4 GiB: refuse
   * such a count rather than compute with it. */
  if (n > MSM_MAX_BASES) return 1;
  usize mark = arena_mark();
  u32 count[3] = {0, 0, 0};
  for (u32 i = 0; i < n; i++) count[C(scalar_kind)(scalars + 8 * (usize)i)]++;
  C(xyzz) acc;
  int status;
  if ((u64)(count[0] + count[1]) * 8 < n) {
    status = C(msm_core)(&acc, pts, 0, scalars, n, window, glv, 0, pass_log2);
  } else {
    u32 nb = count[2], n1 = count[1], ib = 0, io = 0;
    u32 *big = arena_alloc_array((u64)nb + 1, 4), *one = arena_alloc_array((u64)n1 + 1, 4);
    if (!big || !one) return arena_release(mark), 1;
    for (u32 i = 0; i < n; i++) {
      int kind = C(scalar_kind)(scalars + 8 * (usize)i);
      if (kind == 1) one[io++] = i;
      else if (kind == 2) big[ib++] = i;
    }
    C(xyzz) ones;
    status = C(msm_core)(&acc, pts, big, scalars, nb, window, glv, 0, pass_log2);
    if (!status) status = C(msm_core)(&ones, pts, one, scalars, n1, 0, 0, 1, pass_log2);
    if (!status) C(xyzz_add)(&acc, &acc, &ones);
  }
  if (status) return arena_release(mark), status;
  C(aff) r;
  C(xyzz_to_aff)(&r, &acc);
  C(aff_to_ff)(out, &r);
  arena_release(mark);
  return 0;
}

/* The same from bases in zkey byte form (n * 2 * EW words), decoded into scratch first. */
static int C(msm_run)(u32 *out, const u32 *points, const u32 *scalars, u32 n, u32 window, int glv, u32 pass_log2) {
  if (n > MSM_MAX_BASES) return 1;
  usize mark = arena_mark();
  C(aff) *pts = arena_alloc_array((u64)n + 1, sizeof(C(aff)));
  if (!pts) return 1;
  C(decode_points)(pts, 0, points, n);
  int status = C(msm_run_decoded)(out, pts, scalars, n, window, glv, pass_log2);
  arena_release(mark);
  return status;
}
