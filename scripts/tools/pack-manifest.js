// The package.json that `npm pack` puts in the tarball: without scripts (an installed package
// has nothing to build, and npm 11 warns about a `prepare` on a global install), without dev
// dependencies, and without TypeScript, which a clone needs to build dist/ (`prepare`, also on
// `npm ci --omit=dev`) but the tarball, built already, does not. `prepack` writes it over
// package.json, keeping the clone's beside it; `postpack` puts the clone's back.
//
//   node scripts/tools/pack-manifest.js            (prepack)
//   node scripts/tools/pack-manifest.js --restore  (postpack)
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Dependencies only building needs: left out of the packed package. */
export const BUILD_ONLY = ["typescript"];

/** The packed package's manifest, from the clone's. */
export function packedManifest(pkg) {
  const { scripts: _scripts, devDependencies: _dev, ...rest } = pkg;
  const dependencies = Object.fromEntries(
    Object.entries(pkg.dependencies ?? {}).filter(
      ([name]) => !BUILD_ONLY.includes(name),
    ),
  );
  return { ...rest, dependencies };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(import.meta.dirname, "..", "..");
  const manifest = path.join(root, "package.json");
  // The clone's own, kept while the packed one stands in its place.
  const kept = path.join(root, "package.json.unpacked");
  // A pack that stopped before postpack left the packed manifest in place: put it back first.
  if (existsSync(kept)) renameSync(kept, manifest);
  if (!process.argv.includes("--restore")) {
    const text = readFileSync(manifest, "utf8");
    writeFileSync(kept, text);
    writeFileSync(
      manifest,
      JSON.stringify(packedManifest(JSON.parse(text)), null, 2) + "\n",
    );
  }
}
