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
