// The remote proving test page (tests/browser/remote-proving.test.ts builds it): the built library, as an app uses it.
import { fileURLToPath } from "node:url";
import { builtLibraryPage } from "../support/page-vite-config.js";

export default builtLibraryPage(fileURLToPath(new URL(".", import.meta.url)));
