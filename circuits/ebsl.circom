pragma circom 2.1.0;

// EBSL reputation score over the N attestation slots of one subject's registry entry. The integer
// contract (encodings, ranges, formulas, registry, public signal order) is circuits/README.md;
// the bit-exact TypeScript references are src/lib/proof/ebsl/fixed-point.ts and registry.ts.
// Change both or neither.

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/poseidon.circom";
include "registry.circom";

function ceilLog2(n) {
    var r = 0;
    while ((1 << r) < n) {
        r++;
    }
    return r;
}

// q = floor(num / den) for 1 <= den < 2^denBits and a quotient known to fit qBits.
// Sound because q*den + rem < 2^(qBits+denBits+1) < p, so the equation holds over the integers.
template FloorDiv(qBits, denBits) {
    signal input num;
    signal input den;
    signal output q;
    signal rem;

    q <-- num \ den;
    rem <-- num % den;
    num === q * den + rem;

    component qRange = Num2Bits(qBits);
    qRange.in <== q;
    component remRange = Num2Bits(denBits);
    remRange.in <== rem;
    component remLess = LessThan(denBits);
    remLess.in[0] <== rem;
    remLess.in[1] <== den;
    remLess.out === 1;
}

// One slot: range checks (which also make the commitment packing injective) and its
// validity-weighted contributions. An all-zero slot has expires = 0, so it is never in force.
template EbslSlot() {
    signal input r;
    signal input s;
    signal input w;
    signal input a;
    signal input created;
    signal input expires;
    signal input now;

    signal output vw;
    signal output vr;
    signal output vs;
    signal output va;

    component rRange = Num2Bits(41);
    rRange.in <== r;
    component sRange = Num2Bits(41);
    sRange.in <== s;
    component wRange = Num2Bits(32);
    wRange.in <== w;
    component aRange = Num2Bits(20);
    aRange.in <== a;
    component aMax = LessEqThan(20);
    aMax.in[0] <== a;
    aMax.in[1] <== 1000000;
    aMax.out === 1;
    component createdRange = Num2Bits(42);
    createdRange.in <== created;
    component expiresRange = Num2Bits(42);
    expiresRange.in <== expires;

    component started = LessEqThan(42);
    started.in[0] <== created;
    started.in[1] <== now;
    component notExpired = LessThan(42);
    notExpired.in[0] <== now;
    notExpired.in[1] <== expires;
    // Every slot sits in the subject's own registry entry, so being about the subject is structural.
    signal valid <== started.out * notExpired.out;
    vw <== valid * w;
    vr <== vw * r;
    vs <== vw * s;
    va <== vw * a;
}

template Ebsl(N) {
    // Public inputs, in this declaration order (snarkjs lists outputs first, then these).
    signal input now;
    signal input subject;
    signal input threshold;
    signal input reveal;
    signal input root;

    // Private slots: positions 0..N-1 of the subject's registry entry, in the entry's order.
    signal input r[N];
    signal input s[N];
    signal input w[N];
    signal input a[N];
    signal input created[N];
    signal input expires[N];
    signal input issuer[N];
    // Where the subject's entry sits in the registry and the siblings on its path.
    signal input entryIndex;
    signal input entrySiblings[REGISTRY_DEPTH()][3];

    signal output commitment;
    signal output scoreOut;
    signal output meets;

    var SCALE = 1000000;
    var WP = 2 * SCALE * SCALE;
    var LOGN = ceilLog2(N);
    // WS < N * 2^32; R, S, AS < N * 2^73; D = R + S + WP < 2^(75 + LOGN).
    var WS_BITS = 32 + LOGN + 1;
    var D_BITS = 75 + LOGN;

    component nowRange = Num2Bits(42);
    nowRange.in <== now;
    component thresholdMax = LessEqThan(20);
    component thresholdRange = Num2Bits(20);
    thresholdRange.in <== threshold;
    thresholdMax.in[0] <== threshold;
    thresholdMax.in[1] <== SCALE;
    thresholdMax.out === 1;
    reveal * (reveal - 1) === 0;

    component slot[N];
    var R = 0;
    var S = 0;
    var WS = 0;
    var AS = 0;
    for (var i = 0; i < N; i++) {
        slot[i] = EbslSlot();
        slot[i].r <== r[i];
        slot[i].s <== s[i];
        slot[i].w <== w[i];
        slot[i].a <== a[i];
        slot[i].created <== created[i];
        slot[i].expires <== expires[i];
        slot[i].now <== now;
        R += slot[i].vr;
        S += slot[i].vs;
        WS += slot[i].vw;
        AS += slot[i].va;
    }

    // Fused base rate; 0.5 when nothing counts.
    component noWeight = IsZero();
    noWeight.in <== WS;
    component baseRate = FloorDiv(20, WS_BITS);
    baseRate.num <== AS + noWeight.out * 500000;
    baseRate.den <== WS + noWeight.out;

    // Expected value E = b + a*u at scale 10^6.
    component score = FloorDiv(20, D_BITS);
    score.num <== SCALE * R + baseRate.q * WP;
    score.den <== R + S + WP;

    component meetsCmp = GreaterEqThan(20);
    meetsCmp.in[0] <== score.q;
    meetsCmp.in[1] <== threshold;
    meets <== meetsCmp.out;
    scoreOut <== reveal * score.q;

    // Registry: the slots are the whole of the subject's entry (no attestation left out, none
    // counted twice, none from elsewhere), and the entry is a leaf of the public root.
    component leaves = AttestationLeaves(N);
    for (var i = 0; i < N; i++) {
        leaves.packed[i] <== r[i] + s[i] * (1 << 41) + w[i] * (1 << 82) + a[i] * (1 << 114)
            + created[i] * (1 << 134) + expires[i] * (1 << 176);
        leaves.issuer[i] <== issuer[i];
        leaves.expires[i] <== expires[i];
    }
    component entry = SubjectEntry(N);
    entry.subject <== subject;
    for (var i = 0; i < N; i++) entry.leaf[i] <== leaves.leaf[i];
    component path = RegistryRoot();
    path.entry <== entry.entry;
    path.index <== entryIndex;
    for (var l = 0; l < REGISTRY_DEPTH(); l++) {
        for (var j = 0; j < 3; j++) path.siblings[l][j] <== entrySiblings[l][j];
    }
    path.root === root;
    commitment <== entry.attestationRoot;
}
