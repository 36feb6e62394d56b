pragma circom 2.1.0;

// The attestation registry, two levels of quaternary Poseidon trees (an empty leaf is 0, a node is
// Poseidon(4) of its four children in order):
// - a subject's entry holds all of its attestations, in the operator's order, in a tree of depth
//   ENTRY_DEPTH (256 positions); the entry leaf is Poseidon(2)(subject, that tree's root);
// - the registry is a tree of depth REGISTRY_DEPTH over entry leaves (2^20 subjects).
// The integer contract is circuits/README.md ("Registry"); the TypeScript tree is
// src/lib/proof/ebsl/registry.ts. Change both or neither.

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/poseidon.circom";

function REGISTRY_DEPTH() {
    return 10;
}

function ENTRY_DEPTH() {
    return 4;
}

// Root of an all-empty tree of depth l: E(0) = 0, E(l + 1) = Poseidon(4)(E(l), E(l), E(l), E(l)).
function emptyRoot(l) {
    var e[5] = [
        0,
        2351654555892372227640888372176282444150254868378439619268573230312091195718,
        13867732332339151465497925642082178974038372652152621168903203076445231043372,
        12482638920258770416445069396084160696706909713694235655126678204295434816978,
        7166733538749145097044835779501529184583030407883999216862943858482812218900
    ];
    return e[l];
}

// The four children of a node, given the child on the path (cur), its position p = b0 + 2*b1 and
// the three siblings in order (the node's children without the one at p).
template QuadChildren() {
    signal input cur;
    signal input b0;
    signal input b1;
    signal input sib[3];
    signal output child[4];

    // e_j = (p == j) from the two bits.
    signal e3 <== b0 * b1;
    signal e1 <== b0 - e3;
    signal e2 <== b1 - e3;
    signal e0 <== 1 - b0 - b1 + e3;

    child[0] <== sib[0] + e0 * (cur - sib[0]);
    signal c1a <== e1 * cur;
    signal c1b <== e0 * sib[0];
    child[1] <== c1a + c1b + b1 * sib[1];
    signal c2a <== e2 * cur;
    signal c2b <== (1 - b1) * sib[1];
    child[2] <== c2a + c2b + e3 * sib[2];
    child[3] <== sib[2] + e3 * (cur - sib[2]);
}

// Root of the tree given a leaf, the 2*DEPTH bits of its index (least significant first: the
// position at level l is bits[2l] + 2*bits[2l+1]) and the siblings on its path, leaf level first.
template QuadMerkleRoot(DEPTH) {
    signal input leaf;
    signal input bits[2 * DEPTH];
    signal input siblings[DEPTH][3];
    signal output root;

    component children[DEPTH];
    component hash[DEPTH];
    for (var l = 0; l < DEPTH; l++) {
        children[l] = QuadChildren();
        children[l].cur <== l == 0 ? leaf : hash[l - 1].out;
        children[l].b0 <== bits[2 * l];
        children[l].b1 <== bits[2 * l + 1];
        for (var j = 0; j < 3; j++) children[l].sib[j] <== siblings[l][j];
        hash[l] = Poseidon(4);
        for (var j = 0; j < 4; j++) hash[l].inputs[j] <== children[l].child[j];
    }
    root <== hash[DEPTH - 1].out;
}

// Leaf of one attestation slot: Poseidon(2)(packed, issuer), or 0 for an empty slot (expires = 0,
// never in force), so an entry's unused positions are the tree's empty leaves.
template AttestationLeaves(N) {
    signal input packed[N];
    signal input issuer[N];
    signal input expires[N];
    signal output leaf[N];

    component empty[N];
    component hash[N];
    for (var i = 0; i < N; i++) {
        empty[i] = IsZero();
        empty[i].in <== expires[i];
        hash[i] = Poseidon(2);
        hash[i].inputs[0] <== packed[i];
        hash[i].inputs[1] <== issuer[i];
        leaf[i] <== (1 - empty[i].out) * hash[i].out;
    }
}

// A subject's entry from its N slots (N = 4^k, k <= ENTRY_DEPTH): the slots fill positions
// 0..N-1, the positions beyond N are empty.
template SubjectEntry(N) {
    signal input subject;
    signal input leaf[N];
    signal output attestationRoot;
    signal output entry;

    var K = 0;
    while (4 ** K < N) K++;
    assert(4 ** K == N && K <= ENTRY_DEPTH());

    // level[l] holds the 4^(K-l) nodes of level l, leaves at level 0.
    var total = 0;
    for (var l = 1; l <= K; l++) total += 4 ** (K - l);
    component node[total > 0 ? total : 1];
    signal level[K + 1][N];
    for (var i = 0; i < N; i++) level[0][i] <== leaf[i];
    var n = 0;
    for (var l = 1; l <= K; l++) {
        for (var i = 0; i < 4 ** (K - l); i++) {
            node[n] = Poseidon(4);
            for (var j = 0; j < 4; j++) node[n].inputs[j] <== level[l - 1][4 * i + j];
            level[l][i] <== node[n].out;
            n++;
        }
    }
    // Up to the entry's full depth: the other three children are empty subtrees.
    component pad[ENTRY_DEPTH() - K + 1];
    signal up[ENTRY_DEPTH() - K + 1];
    up[0] <== level[K][0];
    for (var l = K; l < ENTRY_DEPTH(); l++) {
        pad[l - K] = Poseidon(4);
        pad[l - K].inputs[0] <== up[l - K];
        for (var j = 1; j < 4; j++) pad[l - K].inputs[j] <== emptyRoot(l);
        up[l - K + 1] <== pad[l - K].out;
    }
    attestationRoot <== up[ENTRY_DEPTH() - K];

    component leafOfEntry = Poseidon(2);
    leafOfEntry.inputs[0] <== subject;
    leafOfEntry.inputs[1] <== attestationRoot;
    entry <== leafOfEntry.out;
}

// The registry root given an entry leaf, its index (below 4^REGISTRY_DEPTH) and its siblings.
template RegistryRoot() {
    signal input entry;
    signal input index;
    signal input siblings[REGISTRY_DEPTH()][3];
    signal output root;

    component bits = Num2Bits(2 * REGISTRY_DEPTH());
    bits.in <== index;
    component path = QuadMerkleRoot(REGISTRY_DEPTH());
    path.leaf <== entry;
    for (var b = 0; b < 2 * REGISTRY_DEPTH(); b++) path.bits[b] <== bits.out[b];
    for (var l = 0; l < REGISTRY_DEPTH(); l++) {
        for (var j = 0; j < 3; j++) path.siblings[l][j] <== siblings[l][j];
    }
    root <== path.root;
}
