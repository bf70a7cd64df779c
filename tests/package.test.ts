import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain JavaScript script, typed by its use here
import { packedManifest } from "../scripts/tools/pack-manifest.js";

const root = path.resolve(import.meta.dirname, "..");
const pkg = JSON.parse(await readFile(path.join(root, "package.json"), "utf8"));
const build = await readFile(path.join(root, "scripts/tools/build.js"), "utf8");

// The end-to-end checks (a clone's `npm ci --omit=dev`, the tarball installed globally) need
// the registry and minutes: they are in `npm run test:install`.
describe("the package", () => {
  it("builds on a clone's production install: what building takes is not a dev dependency", () => {
    expect(pkg.scripts.prepare).toBe("node scripts/tools/build.js --clean");
    const needs = [
      ...build.matchAll(
        /from "(?!node:)([^"]+)"|\(import\.meta\.url\)\("([^"]+)"\)/g,
      ),
    ].map((m) => m[1] ?? m[2]!);
    expect(needs).toEqual(["typescript"]);
    for (const name of needs) {
      expect(pkg.dependencies[name], name).toBeDefined();
      expect(pkg.devDependencies[name], name).toBeUndefined();
    }
  });

  it("is packed without scripts, dev dependencies or what only building needs", () => {
    const packed = packedManifest(pkg);
    expect(packed.scripts).toBeUndefined();
    expect(packed.devDependencies).toBeUndefined();
    expect(packed.dependencies.typescript).toBeUndefined();
    expect(Object.keys(packed.dependencies).length).toBe(
      Object.keys(pkg.dependencies).length - 1,
    );
    expect(packed.bin).toEqual(pkg.bin);
    expect(packed.files).toEqual(pkg.files);
    expect(pkg.scripts.prepack).toMatch(/pack-manifest\.js$/);
    expect(pkg.scripts.postpack).toBe(
      "node scripts/tools/pack-manifest.js --restore",
    );
  });
});
