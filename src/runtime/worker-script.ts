import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * How to start the worker module `name` that stands beside `caller` (its `import.meta.url`).
 * Run from TypeScript source (tsx, Vitest), the worker is a .ts file too. A worker thread
 * does not inherit tsx's loader (and on Node 20, loaders registered in a worker do not apply
 * to it), so a small script starts it through tsx's own import function; compiled to
 * JavaScript, the worker starts as it is. Pass the result to `new Worker(script, { eval })`.
 */
export function workerScript(
  caller: string,
  name: string,
): { script: string | URL; eval: boolean } {
  const fromSource = caller.endsWith(".ts");
  const file = new URL(`./${name}.${fromSource ? "ts" : "js"}`, caller);
  if (!fromSource) return { script: file, eval: false };
  const tsx = path.dirname(createRequire(caller).resolve("tsx/package.json"));
  const api = pathToFileURL(path.join(tsx, "dist/esm/api/index.mjs")).href;
  const worker = JSON.stringify(file.href);
  return {
    script: `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${worker}, ${worker}));`,
    eval: true,
  };
}
