// Types of scripts/install-built-package.mjs for the TypeScript tests.
export interface Packs {
  readonly library: string;
  readonly circuits: string;
}
export function packPackages(dest?: string): Packs;
export function installBuiltPackage(appDir: string, options?: { circuits?: readonly string[] | false; packs?: Packs }): string;
