// make example: Herald (bin/herald, SQLite, demo content) and this site on Vite's dev
// server, for a person to look at. The browser test starts the same pair (startExample).
import { createServer } from "vite";
import { startHerald } from "@heraldcms/harness";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));

/** startExample starts Herald and the site; stop() ends both. */
export async function startExample({ port = 0, heraldEnv = {} } = {}) {
  const herald = await startHerald({ env: heraldEnv });
  let vite;
  try {
    vite = await createServer({
      root,
      configFile: false,
      logLevel: "warn",
      define: { "import.meta.env.VITE_HERALD_URL": JSON.stringify(herald.url) },
      server: { host: "127.0.0.1", port, strictPort: port !== 0 },
    });
    await vite.listen();
  } catch (err) {
    await herald.stop();
    throw err;
  }
  const url = vite.resolvedUrls?.local[0] ?? `http://127.0.0.1:${vite.config.server.port}/`;
  return {
    url: url.replace(/\/$/, ""),
    herald,
    async stop() {
      await vite.close();
      await herald.stop();
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ex = await startExample({ port: Number(process.env.PORT ?? 5173) });
  console.log(`Herald News: ${ex.url}/  (Herald at ${ex.herald.url}, admin ${ex.herald.admin.email} / ${ex.herald.admin.password})`);
  console.log("Ctrl-C stops both.");
  const stop = async () => {
    await ex.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
