// Compiles src/ to dist/: each file's types stripped by TypeScript's transpiler (the options of
// tsconfig.build.json), file by file. Types are checked by `npm run typecheck` and `npm test`,
// not here, so building needs `typescript` alone, no @types: a clone's production install
// (`npm ci --omit=dev`) builds too. Plain JavaScript, so it runs before anything is built.
//
//   node scripts/tools/build.js             build the files changed since the last build
//   node scripts/tools/build.js --clean     remove dist/ first, so no output of a deleted file stays
//   node scripts/tools/build.js --if-stale  build only when a file under src/ (or a tsconfig) is
//                                           newer than dist/, as `npm start` does; milliseconds when not
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");
const src = path.join(root, "src");
const dist = path.join(root, "dist");
// Written after every successful build; files older than it are not compiled again.
const stamp = path.join(dist, ".built");
const flags = new Set(process.argv.slice(2));

if (flags.has("--if-stale") && !stale()) process.exit(0);
if (flags.has("--clean")) rmSync(dist, { recursive: true, force: true });

let ts;
try {
  ts = createRequire(import.meta.url)("typescript");
} catch {
  // Without TypeScript (a package installed from its tarball) a built dist/ will do.
  if (existsSync(path.join(dist, "cli.js"))) process.exit(0);
  console.error(
    `build: TypeScript is not installed and ${dist} is missing; run "npm ci" in ${root}`,
  );
  process.exit(1);
}

const config = ts.getParsedCommandLineOfConfigFile(
  path.join(root, "tsconfig.build.json"),
  {},
  { ...ts.sys, onUnRecoverableConfigFileDiagnostic: fail },
);
if (!config || config.errors.length) fail(config?.errors[0]);
const since = existsSync(stamp) && !flags.has("--clean") ? mtime(stamp) : 0;
const problems = new Set();
for (const file of config.fileNames) {
  const out = path.join(dist, path.relative(src, file)).replace(/\.ts$/, ".js");
  if (since && mtime(file) < since && existsSync(out)) continue;
  const { outputText, diagnostics } = ts.transpileModule(
    readFileSync(file, "utf8"),
    {
      compilerOptions: config.options,
      fileName: file,
      reportDiagnostics: true,
    },
  );
  for (const d of diagnostics ?? []) problems.add(message(d));
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, outputText);
}
// A file removed from src/ leaves its output until a clean build (`npm pack` makes one).
if (problems.size) {
  for (const p of problems) console.error(`build: ${p}`);
  console.error("build: dist/ may be out of date");
  process.exit(1);
}
writeFileSync(stamp, new Date().toISOString() + "\n");

function mtime(file) {
  return statSync(file).mtimeMs;
}

function message(diagnostic) {
  const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  if (!diagnostic.file) return text;
  const { line } = diagnostic.file.getLineAndCharacterOfPosition(
    diagnostic.start ?? 0,
  );
  return `${path.relative(root, diagnostic.file.fileName)}:${line + 1}: ${text}`;
}

function fail(diagnostic) {
  console.error(
    `build: tsconfig.build.json: ${diagnostic ? message(diagnostic) : "cannot be read"}`,
  );
  process.exit(1);
}

function stale() {
  if (!existsSync(stamp)) return true;
  const built = mtime(stamp);
  const newer = (file) => mtime(file) > built;
  return (
    ["tsconfig.json", "tsconfig.build.json", "package.json"].some((f) =>
      newer(path.join(root, f)),
    ) ||
    // Folders too: removing or renaming a file changes its folder's time.
    newer(src) ||
    readdirSync(src, { recursive: true }).some((f) => newer(path.join(src, f)))
  );
}
