pragma circom 2.1.0;

// Membership in the attestation registry: a quaternary Poseidon Merkle tree (empty leaves are 0,
// a node is Poseidon(4) of its four children, in order). The integer contract is circuits/README.md
// ("Registry"); the TypeScript tree is src/lib/proof/ebsl/registry.ts. Change both or neither.

include "circomlib/circuits/poseidon.circom";

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
