import adapter from "@sveltejs/adapter-static";

/** @type {import("@sveltejs/kit").Config} */
export default {
  // Every page is prerendered to static HTML at build time (src/routes/+layout.ts); build/ can be
  // served by any static host.
  kit: { adapter: adapter() },
};
