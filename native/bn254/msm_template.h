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
 * With GLV each point also contributes phi(P), and each scalar splits
 * into two of 128 bits: twice the points over half the windows, which costs the same bucket
 * additions but halves the per-window bucket sums and digit passes.
 */
#ifndef MAX_WINDOW
#define MAX_WINDOW 15 /* digits are stored as i16: |d| <= 2^(c-1) must fit */
#endif
typedef struct {
  C(aff) *pts;     /* m points (n bases, then their images under phi with GLV) */
  i16 *digits;     /* nwin rows of m digits */
  C(aff) *scratch; /* the points of one window, sorted by bucket */
  u32 *start, *len, *cursor, *active, *src, *dst, *msrc, *mdst;
  C(batch_ws) batch;
  u32 m, c, nwin;
} C(msm_ctx);

/*
 * Window size by operation count: every window costs about 6 multiplies per point (one
 * batched affine add) plus about 24 per bucket for the running sums (an XYZZ mixed add and a
 * full add); more bits per window means fewer windows but twice the buckets.
 */
static u32 C(choose_window)(u32 m, u32 bits) {
  u32 best = 2;
  u64 best_cost = ~(u64)0;
  for (u32 c = 2; c <= MAX_WINDOW; c++) {
    u32 nwin = (bits + 1 + c - 1) / c;
    u64 cost = (u64)nwin * (6ull * m + 24ull * (1ull << (c - 1)));
    if (cost < best_cost) best_cost = cost, best = c;
  }
  return best;
}

/* Sums one window's buckets into out = sum over buckets j of (j + 1) * bucket_j. */
static void C(window_sum)(C(msm_ctx) *x, const i16 *dig, C(xyzz) *out) {
  u32 nb = 1u << (x->c - 1), m = x->m;
  for (u32 b = 0; b < nb; b++) x->len[b] = 0;
  for (u32 i = 0; i < m; i++)
    if (dig[i]) x->len[(dig[i] < 0 ? -dig[i] : dig[i]) - 1]++;
  u32 pos = 0, nact = 0;
  for (u32 b = 0; b < nb; b++) {
    x->start[b] = x->cursor[b] = pos;
    pos += x->len[b];
    if (x->len[b] > 1) x->active[nact++] = b;
  }
  /* Counting sort: bucket b's points land in scratch[start[b] .. start[b] + len[b]). */
  for (u32 i = 0; i < m; i++) {
    int d = dig[i];
    if (!d) continue;
    C(aff) *s = &x->scratch[x->cursor[(d < 0 ? -d : d) - 1]++];
    *s = x->pts[i];
    if (d < 0) E(neg)(s->y, s->y);
  }
  /* Rounds of pairwise sums: each halves every bucket, so there are log2(largest) rounds. */
  while (nact) {
    u32 np = 0, nm = 0, next = 0;
    for (u32 a = 0; a < nact; a++) {
      u32 b = x->active[a], s = x->start[b], l = x->len[b];
      for (u32 i = 0; i < l / 2; i++) x->src[np] = s + 2 * i, x->dst[np] = s + i, np++;
      if (l & 1) x->msrc[nm] = s + l - 1, x->mdst[nm] = s + l / 2, nm++;
      x->len[b] = (l + 1) / 2;
      if (x->len[b] > 1) x->active[next++] = b;
    }
    C(batch_pair_add)(x->scratch, x->src, x->dst, np, &x->batch);
    /* An odd bucket's last point moves down after the sums: its new slot was an input. */
    for (u32 k = 0; k < nm; k++) x->scratch[x->mdst[k]] = x->scratch[x->msrc[k]];
    nact = next;
  }
  C(xyzz) run, tot;
  C(xyzz_set_inf)(&run), C(xyzz_set_inf)(&tot);
  for (u32 b = nb; b-- > 0;) {
    if (x->len[b]) C(xyzz_madd)(&run, &run, &x->scratch[x->start[b]]);
    C(xyzz_add)(&tot, &tot, &run);
  }
  *out = tot;
}

static int C(ctx_alloc)(C(msm_ctx) *x) {
  u32 nb = 1u << (x->c - 1), m = x->m;
  usize pairs = m / 2 + 1;
  x->digits = arena_alloc((usize)x->nwin * m * sizeof(i16));
  x->scratch = arena_alloc((usize)m * sizeof(C(aff)));
  x->start = arena_alloc(nb * 4), x->len = arena_alloc(nb * 4);
  x->cursor = arena_alloc(nb * 4), x->active = arena_alloc(nb * 4);
  x->msrc = arena_alloc(nb * 4), x->mdst = arena_alloc(nb * 4);
  x->src = arena_alloc(pairs * 4), x->dst = arena_alloc(pairs * 4);
  u8 *bw = arena_alloc(BATCH_CHUNK * (2 * sizeof(ELEM) + 1));
  if (bw) C(batch_ws_init)(&x->batch, bw);
  return x->digits && x->scratch && x->start && x->len && x->cursor && x->active && x->msrc &&
         x->mdst && x->src && x->dst && bw;
}

/*
 * Bases from the zkey byte form into slots first .. first + count of an array of total points;
 * with glv, slot total + i also receives phi of slot i. The MSM reads bases only, so a prover
 * decodes a zkey's points once and reuses them for every proof (msm_run_decoded).
 */
static void C(decode_points)(C(aff) *pts, u32 total, u32 first, const u32 *points, u32 count, int glv) {
  for (u32 k = 0; k < count; k++) {
    u32 i = first + k;
    C(aff_from_ff)(&pts[i], points + 2 * EW * k);
#ifdef MSM_GLV
    if (!glv) continue;
    C(aff) *phi = &pts[total + i];
    *phi = pts[i];
    if (!C(aff_is_inf)(phi)) MSM_GLV(phi->x);
#else
    (void)glv, (void)total;
#endif
  }
}

/* Digits of every scalar; bases at infinity get zero digits so that they are never gathered. */
static void C(digits)(C(msm_ctx) *x, const u32 *scalars, u32 n, int glv) {
  for (u32 i = 0; i < n; i++) {
    u32 k[8];
    for (int w = 0; w < 8; w++) k[w] = scalars[8 * i + w];
    scalar_reduce(k);
    if (C(aff_is_inf)(&x->pts[i])) for (int w = 0; w < 8; w++) k[w] = 0;
    if (!glv) {
      signed_digits(x->digits + i, x->m, k, 8, x->c, x->nwin, 0);
      continue;
    }
#ifdef MSM_GLV
    u32 m1[4], m2[4];
    int neg1, neg2;
    glv_split(m1, &neg1, m2, &neg2, k);
    signed_digits(x->digits + i, x->m, m1, 4, x->c, x->nwin, neg1);
    signed_digits(x->digits + n + i, x->m, m2, 4, x->c, x->nwin, neg2);
#endif
  }
}

/* Pippenger over n decoded bases into acc (XYZZ). Returns 0, or 1 when memory could not grow. */
static int C(msm_core)(C(xyzz) *acc, C(aff) *pts, const u32 *scalars, u32 n, u32 window, int glv) {
  usize mark = arena_mark();
  C(msm_ctx) x;
  x.m = glv ? 2 * n : n;
  u32 bits = glv ? 128 : 254;
  x.c = window >= 2 && window <= MAX_WINDOW ? window : C(choose_window)(x.m ? x.m : 1, bits);
  x.nwin = (bits + 1 + x.c - 1) / x.c; /* one bit more than the scalars: the top carry */
  x.pts = pts;
  if (!C(ctx_alloc)(&x)) return arena_release(mark), 1;
  C(digits)(&x, scalars, n, glv);
  C(xyzz) ws;
  C(xyzz_set_inf)(acc);
  for (u32 w = x.nwin; w-- > 0;) {
    for (u32 d = 0; d < x.c && !C(xyzz_is_inf)(acc); d++) C(xyzz_dbl)(acc, acc);
    C(window_sum)(&x, x.digits + (usize)w * x.m, &ws);
    C(xyzz_add)(acc, acc, &ws);
  }
  arena_release(mark);
  return 0;
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
 * pts: n decoded bases (with glv, followed by their n phi images, as C(decode_points) lays them
 * out); scalars: n * 32 bytes, LE, standard form. window 0 picks the window size; glv splits
 * scalars (only where MSM_GLV provides the endomorphism). Returns 0, or 1 when memory could not
 * grow.
 *
 * Witnesses are mostly 0 and 1 (71% of ebsl-64's: 40% zeros, 31% ones). Zeros cost nothing in
 * the bucket passes, but they and the ones count as points when the window size is chosen and
 * every window scans them; so when at least 1/8 of the scalars are 0 or 1, the others are
 * gathered into a smaller MSM (its own window size) and the ones are summed by a second one
 * whose only non-empty window is the first.
 */
static int C(msm_run_decoded)(u32 *out, C(aff) *pts, const u32 *scalars, u32 n, u32 window, int glv) {
  /* Beyond 2^23 bases the workspace (about 400 bytes per G1 base) outgrows wasm32's 4 GiB, and
   * its 32-bit size arithmetic would wrap: refuse rather than corrupt memory. */
  if (n > (1u << 23)) return 1;
  usize mark = arena_mark();
  u32 count[3] = {0, 0, 0};
  for (u32 i = 0; i < n; i++) count[C(scalar_kind)(scalars + 8 * i)]++;
  C(xyzz) acc;
  int status;
  if ((count[0] + count[1]) * 8 < n) {
    status = C(msm_core)(&acc, pts, scalars, n, window, glv);
  } else {
    u32 nb = count[2], n1 = count[1], ib = 0, io = 0;
    C(aff) *pb = arena_alloc((usize)(glv ? 2 : 1) * nb * sizeof(C(aff)) + 64);
    C(aff) *po = arena_alloc((usize)n1 * sizeof(C(aff)) + 64);
    u32 *sb = arena_alloc((usize)nb * 32 + 4), *so = arena_alloc((usize)n1 * 32 + 4);
    if (!pb || !po || !sb || !so) return arena_release(mark), 1;
    for (u32 i = 0; i < n; i++) {
      const u32 *k = scalars + 8 * i;
      int kind = C(scalar_kind)(k);
      if (kind == 1) {
        po[io] = pts[i];
        for (int w = 0; w < 8; w++) so[8 * io + w] = w == 0;
        io++;
      } else if (kind == 2) {
        pb[ib] = pts[i];
        if (glv) pb[nb + ib] = pts[n + i];
        for (int w = 0; w < 8; w++) sb[8 * ib + w] = k[w];
        ib++;
      }
    }
    C(xyzz) ones;
    status = C(msm_core)(&acc, pb, sb, nb, window, glv);
    if (!status) status = C(msm_core)(&ones, po, so, n1, 0, 0);
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
static int C(msm_run)(u32 *out, const u32 *points, const u32 *scalars, u32 n, u32 window, int glv) {
  if (n > (1u << 23)) return 1;
  usize mark = arena_mark();
  C(aff) *pts = arena_alloc((usize)(glv ? 2 * n : n) * sizeof(C(aff)) + 64);
  if (!pts) return 1;
  C(decode_points)(pts, n, 0, points, n, glv);
  int status = C(msm_run_decoded)(out, pts, scalars, n, window, glv);
  arena_release(mark);
  return status;
}
