// Types of chain.mjs for the TypeScript tests.
export interface ChainAccount {
  readonly key: Uint8Array;
  readonly address: { toString(): string };
  readonly hex: string;
}
export interface SendResult {
  readonly ok: boolean;
  readonly gasUsed: bigint;
  readonly error: string | undefined;
  readonly returnValue: string;
  readonly createdAddress: { toString(): string } | undefined;
}
export interface Chain {
  send(from: ChainAccount, tx: { to?: { toString(): string }; data: string; timestampSeconds: number }): Promise<SendResult>;
  deploy(from: ChainAccount, bytecode: string, args?: string, timestampSeconds?: number): Promise<{ toString(): string }>;
}
export interface CompiledContract {
  readonly abi: readonly { type: string; name?: string; inputs?: readonly { type: string }[] }[];
  readonly bytecode: string;
}
export const CONTRACTS_DIR: string;
export function selector(signature: string): string;
export function compileContracts(variant: string): Promise<{ airdrop: CompiledContract; verifier: CompiledContract; solcVersion: string }>;
export function account(n: number): ChainAccount;
export function createChain(accounts: readonly ChainAccount[], abis?: readonly CompiledContract["abi"][]): Promise<Chain>;
export function encodeWords(values: readonly (string | bigint | number)[]): string;
export function claimCalldata(proof: unknown, publicSignals: readonly string[]): string;
export function exportVerifier(zkeyPath: string, contractName: string): Promise<string>;
