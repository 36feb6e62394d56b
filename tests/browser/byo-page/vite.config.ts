// The "bring your own circuit" test page (tests/browser/byo-circuit.test.ts builds it): the built library, as an app uses it.
import { fileURLToPath } from "node:url";
import { builtLibraryPage } from "../support/page-vite-config.js";

export default builtLibraryPage(fileURLToPath(new URL(".", import.meta.url)));
