/**
 * How a page says where proofline's artifacts are served without code: a
 * `<meta name="proofline-artifacts" content="/proofline/circuits/">` tag (the `proofline/vite`
 * plugin injects it). Read when the API is created, never at import time.
 */
export const ARTIFACTS_META = "proofline-artifacts";

/** The artifacts base the page declares, as an absolute URL, or undefined. */
export function artifactsBaseFromPage(): string | undefined {
  const doc = (globalThis as { document?: { querySelector?(s: string): { getAttribute(n: string): string | null } | null; baseURI?: string } }).document;
  const content = doc?.querySelector?.(`meta[name="${ARTIFACTS_META}"]`)?.getAttribute("content");
  if (!content) return undefined;
  try {
    return new URL(content, doc?.baseURI).toString();
  } catch {
    return undefined;
  }
}

/**
 * Said once per API when the EBSL artifacts will be fetched from `@proofline/circuits` inside
 * node_modules, the last-resort default. A dev server serves node_modules, so `vite dev` proves;
 * a production build does not, and the same app then fails with ARTIFACT_NOT_FOUND. The warning
 * makes dev tell what production will do, while it still works.
 */
export function packageFallbackWarning(url: URL | string): string {
  return (
    `proofline: no artifactsBaseUrl and no <meta name="${ARTIFACTS_META}"> (the proofline/vite plugin adds it): the circuits ` +
    `will be fetched from ${String(url)}, inside node_modules. A dev server serves that folder; a production build does not, ` +
    "and proofs will then fail with ARTIFACT_NOT_FOUND. Add proofline/vite's plugin to vite.config, or set artifactsBaseUrl to where you serve @proofline/circuits's files."
  );
}
