/**
 * The EBSL reference: validation, encoding into circuit slots, fusion (proven EBSL and the
 * display-only Shadowgraph compatibility formula) and circuit input building. Named exports
 * only; see circuits/README.md for the integer contract.
 */
export type {
  Attestation,
  AttestationType,
  CircuitOutputs,
  CircuitPublicInputs,
  EncodedSlot,
  Opinion,
} from "./types.js";
export {
  ATTESTATION_TYPES,
  DEFAULT_SUM_TOLERANCE,
  MAX_TIME_EXCLUSIVE,
  MAX_WEIGHT,
  validateAttestation,
  validateAttestations,
} from "./validation.js";
export type { ValidateAttestationsOptions } from "./validation.js";
export { evidenceToOpinion, opinionToEvidence, PRIOR_WEIGHT } from "./evidence.js";
export type { Evidence } from "./evidence.js";
export { encodeAttestation, idToField, isHexId, sameId, toMicro } from "./encode.js";
export {
  assertPublicInRange,
  assertSlotInRange,
  computeCircuitOutputs,
  DEFAULT_BASE_RATE,
  EMPTY_SLOT,
  FIELD_ORDER,
  MAX_THRESHOLD,
  SCALE,
  slotCounts,
  W,
  WP,
} from "./fixed-point.js";
export {
  commitSlots,
  emptySubtreeRoots,
  ENTRY_CAPACITY,
  ENTRY_DEPTH,
  entryLeaf,
  loneEntryPosition,
  packSlot,
  REGISTRY_ARITY,
  REGISTRY_CAPACITY,
  REGISTRY_DEPTH,
  slotLeaf,
} from "./registry-tree.js";
export type { RegistryPosition } from "./registry-tree.js";
export { createRegistry, loadRegistry } from "./registry.js";
export type { AttestationRegistry, RegistryMembership, SerializedRegistry } from "./registry.js";
export { parsePublicSignals, PUBLIC_SIGNAL_ORDER, toCircuitSignals } from "./circuit-input.js";
export type { EbslCircuitInput, NamedPublicSignals, PublicSignalName } from "./circuit-input.js";
export {
  countsFor,
  fuseAttestations,
  fusedOpinionFromOutputs,
  fuseWeighted,
  NEUTRAL_BASE_RATE,
  score,
} from "./fusion.js";
export type { FusionContext, WeightedOpinion } from "./fusion.js";
export { fuseCompat, reputationCompat } from "./compat.js";
export { buildCircuitInput, compareSlots, DEFAULT_THRESHOLD, selectVariant } from "./circuit-input.js";
export type { CircuitInput, CircuitInputRequest } from "./circuit-input.js";
