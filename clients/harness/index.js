// Starts a live Herald for the TypeScript client's tests, the conformance check and the
// example's browser test: bin/herald (make build) on a fresh SQLite database with the demo
// content and a bootstrap admin, optionally behind Prism in proxy mode with --errors, which
// answers an error (and logs a violation) for any request or response that breaks the spec.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot() {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "go.mod"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("go.mod not found above " + import.meta.url);
    dir = up;
  }
  return dir;
}

export const repoRoot = findRoot();

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
  });
}

async function waitFor(url, proc, logs, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`exited with ${proc.exitCode} before ${url} answered:\n${logs.join("")}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${logs.join("")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopProcess(proc) {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once("exit", () => resolve());
    proc.kill("SIGTERM");
    setTimeout(() => proc.kill("SIGKILL"), 5000).unref();
  });
}

export async function startHerald(options = {}) {
  const bin = process.env.HERALD_BIN ?? join(repoRoot, "bin", "herald");
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run make build (or set HERALD_BIN)`);
  const dir = await mkdtemp(join(tmpdir(), "herald-client-"));
  const port = await freePort();
  const admin = { email: "admin@herald.test", password: "sdk-tests-4f9c2e71b8" };
  const heraldURL = `http://127.0.0.1:${port}`;
  const logs = [];
  const herald = spawn(bin, ["serve"], {
    cwd: dir,
    env: {
      ...process.env,
      HERALD_ENV: "development",
      HERALD_ADDR: `127.0.0.1:${port}`,
      HERALD_DATABASE_URL: `sqlite:${join(dir, "herald.db")}`,
      HERALD_MEDIA_DIR: join(dir, "media"),
      HERALD_BOOTSTRAP_ADMIN_EMAIL: admin.email,
      HERALD_BOOTSTRAP_ADMIN_PASSWORD: admin.password,
      HERALD_VIEWS_FLUSH_INTERVAL: "50ms",
      HERALD_CACHE_MAX_AGE: "1s",
      HERALD_CORS_ORIGINS: "*",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  herald.stdout.on("data", (b) => logs.push(String(b)));
  herald.stderr.on("data", (b) => logs.push(String(b)));
  const procs = [herald];
  const violations = [];
  const stop = async () => {
    await Promise.all(procs.map(stopProcess));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(`${heraldURL}/readyz`, herald, logs, 30000);
    let url = heraldURL;
    if (options.prism) {
      const prismPort = await freePort();
      const prismBin = join(repoRoot, "node_modules", ".bin", "prism");
      const prismLogs = [];
      const prism = spawn(prismBin, ["proxy", join(repoRoot, "docs", "openapi3.json"), heraldURL, "--errors",
        "--host", "127.0.0.1", "--port", String(prismPort)], { stdio: ["ignore", "pipe", "pipe"] });
      procs.push(prism);
      const onLine = (b) => {
        const s = String(b);
        prismLogs.push(s);
        for (const line of s.split("\n")) {
          if (/violation|✖/i.test(line)) violations.push(line.trim());
        }
      };
      prism.stdout.on("data", onLine);
      prism.stderr.on("data", onLine);
      url = `http://127.0.0.1:${prismPort}`;
      await waitFor(`${url}/healthz`, prism, prismLogs, 60000);
    }
    return { url, heraldURL, admin, violations: () => [...violations], stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
