/**
 * `proofline/ebsl`: the EBSL reference in TypeScript, for dapps that show a score before proving
 * it, check a result's public signals, or build the circuit input themselves. The same integers
 * as the circuits, bit for bit (tests compare them with real witnesses). Importing starts nothing.
 */
export {
  ATTESTATION_TYPES,
  validateAttestations,
  fuseAttestations,
  score,
  fuseCompat,
  reputationCompat,
  buildCircuitInput,
  selectVariant,
  toCircuitSignals,
  parsePublicSignals,
  computeCircuitOutputs,
  commitSlots,
  idToField,
  PUBLIC_SIGNAL_ORDER,
  SCALE,
  DEFAULT_THRESHOLD,
  createRegistry,
  loadRegistry,
  ENTRY_CAPACITY,
} from "./lib/proof/ebsl/index.js";
export type {
  ValidateAttestationsOptions,
  FusionContext,
  WeightedOpinion,
  CircuitInputRequest,
  CircuitInput as EbslSlotInput,
  EbslCircuitInput,
  NamedPublicSignals,
  PublicSignalName,
  AttestationRegistry,
  RegistryMembership,
  SerializedRegistry,
} from "./lib/proof/ebsl/index.js";
export type { Attestation, AttestationType, Opinion, EncodedSlot, CircuitPublicInputs, CircuitOutputs } from "./lib/proof/ebsl/types.js";
