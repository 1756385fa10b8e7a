// Conformance: start Herald behind Prism (proxy, --errors), fetch the spec Herald serves,
// generate a client from it with openapi-typescript and with @hey-api/openapi-ts, type-check
// both scenarios with tsc --strict, run them, and fail on any Prism violation.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@hey-api/openapi-ts";
import { repoRoot, startHerald } from "@heraldcms/harness";

const here = dirname(fileURLToPath(import.meta.url));
const gen = join(here, "gen");
const bin = join(repoRoot, "node_modules", ".bin");
const run = (cmd, args, env = {}) =>
  execFileSync(join(bin, cmd), args, { cwd: here, stdio: "inherit", env: { ...process.env, ...env } });

const server = await startHerald({ prism: true });
try {
  rmSync(gen, { recursive: true, force: true });
  rmSync(join(here, "build"), { recursive: true, force: true });
  mkdirSync(gen, { recursive: true });
  const res = await fetch(`${server.heraldURL}/docs/openapi.json`);
  if (!res.ok) throw new Error(`GET /docs/openapi.json: ${res.status}`);
  const spec = join(gen, "openapi.json");
  writeFileSync(spec, await res.text());

  run("openapi-typescript", [spec, "--default-non-nullable", "false", "-o", join(gen, "openapi-typescript", "schema.ts")]);
  await createClient({
    input: spec,
    output: { path: join(gen, "hey-api"), importFileExtension: ".js" },
    logs: { level: "silent" },
  });
  run("tsc", ["-p", "tsconfig.json"]);
  const env = { HERALD_URL: server.url, HERALD_EMAIL: server.admin.email, HERALD_PASSWORD: server.admin.password };
  execFileSync(process.execPath, [join(here, "build", "openapi-typescript.js")], { stdio: "inherit", env: { ...process.env, ...env } });
  execFileSync(process.execPath, [join(here, "build", "hey-api.js")], { stdio: "inherit", env: { ...process.env, ...env } });
} finally {
  const violations = server.violations();
  await server.stop();
  if (violations.length > 0) {
    console.error("Prism reported violations of docs/openapi3.json:\n" + violations.join("\n"));
    process.exitCode = 1;
  }
}
