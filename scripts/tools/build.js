// Compiles src/ to dist/ with tsc (tsconfig.build.json). Plain JavaScript, so it runs before
// anything is built and without tsx.
//
//   node scripts/build.js             build (tsc is incremental: unchanged files are quick)
//   node scripts/build.js --clean     remove dist/ first, so no output of a deleted file stays
//   node scripts/build.js --if-stale  build only when a file under src/ (or a tsconfig) is
//                                     newer than dist/, as `npm start` does; milliseconds when not
import { spawnSync } from "node:child_process";
import {
  existsSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");
const dist = path.join(root, "dist");
// Written after every successful build: tsc rewrites only what changed.
const stamp = path.join(dist, ".built");
const flags = new Set(process.argv.slice(2));

if (flags.has("--if-stale") && !stale()) process.exit(0);
if (flags.has("--clean")) rmSync(dist, { recursive: true, force: true });

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
} catch {
  // An install without dev dependencies (npm ci --omit=dev) cannot build; a built dist/ will do.
  if (existsSync(path.join(dist, "cli.js"))) process.exit(0);
  console.error(
    `build: TypeScript is not installed and ${dist} is missing; run "npm ci" (with dev dependencies) in ${root}`,
  );
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  [tsc, "-p", path.join(root, "tsconfig.build.json")],
  { stdio: "inherit" },
);
if (result.status !== 0) {
  console.error("build: tsc failed; dist/ may be out of date");
  process.exit(result.status ?? 1);
}
writeFileSync(stamp, new Date().toISOString() + "\n");

function stale() {
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  const newer = (file) => statSync(file).mtimeMs > built;
  return (
    ["tsconfig.json", "tsconfig.build.json", "package.json"].some((f) =>
      newer(path.join(root, f)),
    ) ||
    // Folders too: removing or renaming a file changes its folder's time.
    newer(path.join(root, "src")) ||
    readdirSync(path.join(root, "src"), { recursive: true }).some((f) =>
      newer(path.join(root, "src", f)),
    )
  );
}
