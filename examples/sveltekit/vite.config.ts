import { sveltekit } from "@sveltejs/kit/vite";
import { proofline } from "proofline/vite";
import { defineConfig } from "vite";

export default defineConfig({
  // proofline() serves the pinned circuit artifacts under /proofline/circuits/ in `vite dev` and
  // emits them there in `vite build` (adapter-static copies them into build/). Its <meta> tag
  // never reaches SvelteKit's app.html, so the page passes that URL itself (src/routes/+page.svelte).
  plugins: [sveltekit(), proofline()],
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
