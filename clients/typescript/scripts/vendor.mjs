#!/usr/bin/env node
// Vendors openapi-fetch (the client's only runtime code, MIT, version pinned by the
// repository's package-lock.json) into src/vendor and dist/vendor, so that the package has
// no dependencies: `npm i ./clients/typescript` links the directory without installing
// anything into it, and a linked package cannot resolve dependencies of its own.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(here, "package.json"));
const pkgDir = (name) => dirname(require.resolve(`${name}/package.json`));
const fetchDir = pkgDir("openapi-fetch");
const helpersDir = pkgDir("openapi-typescript-helpers");
const version = (dir) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version;
const banner = `// Vendored by scripts/vendor.mjs from openapi-fetch ${version(fetchDir)} (MIT, see LICENSE.openapi-fetch). Do not edit.\n`;
const read = (dir, file) => readFileSync(join(dir, file), "utf8").replace(/\n\/\/# sourceMappingURL=.*\n?$/, "\n");

const files = {
  "openapi-fetch.js": banner + read(fetchDir, "dist/index.mjs"),
  "openapi-fetch.d.ts": banner + read(fetchDir, "dist/index.d.mts").replace(/from 'openapi-typescript-helpers'/g, "from './openapi-typescript-helpers.js'"),
  "openapi-typescript-helpers.d.ts":
    `// Vendored by scripts/vendor.mjs from openapi-typescript-helpers ${version(helpersDir)} (MIT). Do not edit.\n` +
    read(helpersDir, "dist/index.d.mts"),
  "LICENSE.openapi-fetch": readFileSync(join(fetchDir, "LICENSE"), "utf8"),
};
for (const out of ["src/vendor", "dist/vendor"]) {
  mkdirSync(join(here, out), { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(here, out, name), text);
  }
}
