// Types of scripts/install-built-package.mjs for the TypeScript browser tests.
export function installBuiltPackage(appDir: string, options?: { circuits?: readonly string[] }): string;
