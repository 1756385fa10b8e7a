// What both generated clients must do against a live Herald: log in, create a draft,
// publish it, read it back through the public API.
export const env = {
  url: required("HERALD_URL"),
  email: required("HERALD_EMAIL"),
  password: required("HERALD_PASSWORD"),
};

function required(name: string): string {
  const v = process.env[name];
  if (v === undefined || v === "") {
    throw new Error(`${name} is not set (run.mjs sets it)`);
  }
  return v;
}

export function check(ok: boolean, what: string): void {
  if (!ok) {
    throw new Error(`conformance: ${what}`);
  }
}

export function title(generator: string): string {
  return `Conformance (${generator}) ${new Date().toISOString()}`;
}
