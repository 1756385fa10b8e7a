#!/usr/bin/env node
// Fails when hand-written TypeScript under the given files or directories holds a type
// assertion (x as T, <T>x, even as const) or a non-null assertion (x!): the client and its
// consumers must type-check on what the spec says, not on what a cast claims. Generated
// code (schema.ts, gen/) and node_modules are skipped.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

function* files(path) {
  const st = statSync(path);
  if (st.isFile()) {
    if (/\.tsx?$/.test(path) && !path.endsWith(".d.ts")) yield path;
    return;
  }
  for (const name of readdirSync(path)) {
    if (["node_modules", "gen", "build", "dist"].includes(name) || name === "schema.ts") continue;
    yield* files(join(path, name));
  }
}

let bad = 0;
let checked = 0;
for (const root of process.argv.slice(2)) {
  for (const file of files(root)) {
    checked++;
    const src = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const visit = (node) => {
      if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node)) {
        const { line, character } = src.getLineAndCharacterOfPosition(node.getStart());
        console.error(`${file}:${line + 1}:${character + 1}: ${node.getText().slice(0, 80)}`);
        bad++;
      }
      ts.forEachChild(node, visit);
    };
    visit(src);
  }
}
if (bad > 0) {
  console.error(`${bad} cast(s) or non-null assertion(s)`);
  process.exit(1);
}
console.log(`no casts or non-null assertions in ${checked} files`);
