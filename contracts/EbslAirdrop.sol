// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.20;

/// The verifier `snarkjs zkey export solidityverifier` writes for an EBSL circuit (8 public signals).
interface IEbslVerifier {
    function verifyProof(
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[8] calldata publicSignals
    ) external view returns (bool);
}

/// An example airdrop gate for proofline's EBSL proofs: one claim per address whose reputation,
/// fused from attestations in a registry the operator published, meets the required threshold.
///
/// Public signals, in snarkjs order: [commitment, scoreOut, meets, now, subject, threshold, reveal, root].
/// What this contract trusts: the verifier (and the setup behind its key), and the operator, who
/// publishes registry roots after checking every attestation it inserted (for example the issuer's
/// signature) and filing it under its subject's entry. A root vouches for every entry under it;
/// the circuit proves the score is fused from the whole of `subject`'s entry: no attestation
/// invented, left out or counted twice.
contract EbslAirdrop {
    IEbslVerifier public immutable verifier;
    address public immutable operator;
    /// Minimum threshold a proof must be made at (10^6 scale, 600000 = 0.6).
    uint256 public immutable threshold;
    /// How far a proof's `now` (epoch ms) may lie behind the block time.
    uint256 public immutable maxAgeMs;
    /// How far a proof's `now` may lie ahead of the block time (clock skew).
    uint256 public immutable maxSkewMs;

    mapping(uint256 => bool) public knownRoot;
    mapping(address => bool) public claimed;
    uint256 public claims;

    event RootAdded(uint256 indexed root);
    event RootRevoked(uint256 indexed root);
    event Claimed(address indexed subject, uint256 indexed root, uint256 commitment);

    error NotOperator();
    error AlreadyClaimed();
    error UnknownRoot();
    error WrongSubject();
    error ThresholdTooLow();
    error BelowThreshold();
    error StaleProof();
    error InvalidProof();

    constructor(IEbslVerifier verifier_, uint256 threshold_, uint256 maxAgeMs_, uint256 maxSkewMs_) {
        verifier = verifier_;
        operator = msg.sender;
        threshold = threshold_;
        maxAgeMs = maxAgeMs_;
        maxSkewMs = maxSkewMs_;
    }

    /// Roots rotate by addition: the operator adds each new root and may revoke an old one
    /// (proofs against it are then refused); until revoked, proofs made against it still claim.
    function addRoot(uint256 root) external {
        if (msg.sender != operator) revert NotOperator();
        knownRoot[root] = true;
        emit RootAdded(root);
    }

    function revokeRoot(uint256 root) external {
        if (msg.sender != operator) revert NotOperator();
        knownRoot[root] = false;
        emit RootRevoked(root);
    }

    function claim(
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[8] calldata pub
    ) external {
        if (claimed[msg.sender]) revert AlreadyClaimed();
        if (!knownRoot[pub[7]]) revert UnknownRoot();
        if (pub[4] != uint256(uint160(msg.sender))) revert WrongSubject();
        if (pub[5] < threshold) revert ThresholdTooLow();
        if (pub[2] != 1) revert BelowThreshold();
        uint256 nowMs = block.timestamp * 1000;
        if (pub[3] > nowMs + maxSkewMs || pub[3] + maxAgeMs < nowMs) revert StaleProof();
        if (!verifier.verifyProof(a, b, c, pub)) revert InvalidProof();
        claimed[msg.sender] = true;
        claims += 1;
        emit Claimed(msg.sender, pub[7], pub[0]);
    }
}
