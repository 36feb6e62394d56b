import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ProofAPI, Groth16Proof } from "proofline";

export interface JobSnapshot {
  id: string;
  status: "QUEUED" | "PROCESSING" | "COMPLETED" | "FAILED" | "CANCELLED";
  progress: number;
  stage: string;
  attempt: number;
  createdAt: number;
  finishedAt?: number;
  result?: Record<string, unknown>;
  error?: { code: string; message: string; details: Record<string, unknown> };
}

/** A job store and runner: in memory, or on Redis. */
export interface JobBackend {
  readonly kind: string;
  onFinished: (code: string) => void;
  submit(spec: Record<string, unknown>, owner: string | undefined): Promise<{ id: string; status: string }>;
  get(id: string): unknown;
  cancel(id: string): boolean | Promise<boolean>;
  depth(): number;
  ready(): boolean;
  close(): Promise<void>;
}

export interface ServerOptions {
  jobs?: JobBackend;
  apiKeys?: Record<string, string> | string[];
  authenticate?: (request: FastifyRequest) => string | undefined | Promise<string | undefined>;
  manifest?: object;
  circuitsDir?: string;
  bodyLimit?: number;
  maxInFlight?: number;
  wallNow?: () => number;
  logger?: boolean | object;
  /** Page origins allowed to call the service from a browser (CORS). */
  corsOrigins?: string[];
}

export interface ServiceOptions extends ServerOptions {
  /** Jobs on BullMQ on this Redis, run by prover worker processes; without it, in memory. */
  redisUrl?: string;
  maxQueued?: number;
  retry?: { attempts?: number; baseMs?: number; capMs?: number };
  timeoutMs?: number;
  poolSize?: number;
  rateLimit?: { max: number; windowMs: number } | false;
  allowList?: Iterable<string>;
  blockList?: Iterable<string>;
}

export interface VerifyItem {
  vkey: object;
  proof: Groth16Proof | Record<string, unknown>;
  publicSignals: readonly string[];
}

export function createService(options?: ServiceOptions): Promise<FastifyInstance>;
export function buildServer(options: ServerOptions & { jobs: JobBackend }): Promise<FastifyInstance>;
export function createServiceProofAPI(options?: ServiceOptions): Promise<ProofAPI>;
export function createMemoryJobs(options: { api: ProofAPI; keepFinishedMs?: number; maxJobs?: number }): JobBackend;
export interface ProofWorkerOptions {
  redisUrl: string;
  concurrency?: number;
  lockDurationMs?: number;
  keepFinishedMs?: number;
  poolSize?: number;
  timeoutMs?: number;
  manifest?: object;
  circuitsDir?: string;
}
export function createProofWorker(options: ProofWorkerOptions): Promise<{ id: string; close(): Promise<void> }>;
export function verifyOne(vkey: object, publicSignals: readonly string[], proof: object): Promise<boolean>;
export function verifyBatch(items: readonly VerifyItem[]): Promise<{ valid: boolean[]; method: "batch" | "fallback" }>;
export function apiKeyAuthenticator(apiKeys: Record<string, string> | string[]): (request: { headers: Record<string, unknown> }) => string | undefined;
