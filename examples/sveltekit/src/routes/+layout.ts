// Prerender at build time (adapter-static). The server render imports proofline, which is safe:
// importing it starts nothing; the page creates its proof API only in the browser.
export const prerender = true;
