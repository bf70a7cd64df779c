import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  defaultCache,
  defaults,
  loadConfig,
  splitCommand,
} from "../src/runtime/config.ts";

const root = path.resolve(import.meta.dirname, "..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

describe("deploy/readout.service", () => {
  it("starts readout with options readout accepts", () => {
    const exec = /^ExecStart=(\S+) (.*)$/m.exec(read("deploy/readout.service"));
    expect(exec?.[1]).toBe("/usr/local/bin/readout");
    const { command, args } = splitCommand(exec![2]!.split(/\s+/));
    expect(command).toBe("serve");
    expect(loadConfig(args, {}, command)).toMatchObject({
      host: "127.0.0.1",
      port: 3000,
      data: "/srv/statements",
      cache: "/var/cache/readout",
    });
  });
});

describe("deploy/readout.service's sandbox", () => {
  const unit = read("deploy/readout.service");
  const settings = new Map(
    [...unit.matchAll(/^(\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]),
  );

  it("holds what issue 27 asked, and a data folder missing at start does not stop it", () => {
    expect(Object.fromEntries(settings)).toMatchObject({
      CapabilityBoundingSet: "",
      RestrictNamespaces: "yes",
      SystemCallArchitectures: "native",
      SystemCallFilter: "@system-service",
      ProtectClock: "yes",
      ProtectKernelLogs: "yes",
      ProtectHostname: "yes",
      PrivateMounts: "yes",
      UMask: "0077",
      ReadOnlyPaths: "-/srv/statements",
    });
  });

  // systemd's own rating, where systemd is installed (Debian's `systemd` package).
  const analyze = spawnSync("systemd-analyze", ["--version"]).status === 0;
  it.skipIf(!analyze)("is rated under 4 by systemd-analyze security", () => {
    const run = spawnSync(
      "systemd-analyze",
      ["security", "--offline=yes", path.join(root, "deploy/readout.service")],
      { encoding: "utf8" },
    );
    const level = /Overall exposure level for readout\.service: ([\d.]+)/.exec(
      run.stdout,
    );
    expect(level, run.stdout + run.stderr).not.toBeNull();
    expect(Number(level![1])).toBeLessThan(4);
  });
});

describe("Dockerfile", () => {
  const dockerfile = read("Dockerfile");

  it("configures readout through READOUT_* variables it accepts", () => {
    const env = Object.fromEntries(
      [...dockerfile.matchAll(/(READOUT_\w+)=(\S+)/g)].map((m) => [m[1], m[2]]),
    );
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
    expect(/^ENTRYPOINT \["readout"\]$/m.test(dockerfile)).toBe(true);
    const { command, args } = splitCommand(cmd);
    expect(loadConfig(args, env, command)).toMatchObject({
      host: "0.0.0.0",
      port: 3000,
      data: "/data",
      cache: "/cache",
    });
  });

  it("installs Tesseract, its English pack and pdftoppm, so scans are read by OCR", () => {
    const install = /^RUN apk add --no-cache (.*\\\n.*)$/m.exec(
      dockerfile,
    )?.[1];
    expect(install).toContain("tesseract-ocr poppler-utils");
    expect(dockerfile).toMatch(/^ARG OCR_LANGUAGES="eng[ "]/m);
    expect(install).toContain("tesseract-ocr-data-%s");
  });

  it("runs as a non-root user and checks /-/health with a script it copies", () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(
      /^COPY deploy\/healthcheck\.js \/usr\/local\/lib\/readout-healthcheck\.js$/m,
    );
    expect(dockerfile).toMatch(
      /CMD \["node", "\/usr\/local\/lib\/readout-healthcheck\.js"\]/,
    );
    expect(read("deploy/healthcheck.js")).toContain("/-/health");
  });
});

describe("--trust-proxy", () => {
  const proxies = (value: string) =>
    loadConfig(["--trust-proxy", value], {}, "serve").trustProxy;

  it("believes no proxy unless told", () => {
    expect(loadConfig([], {}, "serve").trustProxy).toBe(false);
    expect(proxies("off")).toBe(false);
  });

  it("takes names, addresses and ranges, or a number of hops", () => {
    expect(proxies("loopback")).toBe("loopback");
    expect(proxies("10.0.0.5, 10.1.0.0/16,::1")).toBe(
      "10.0.0.5,10.1.0.0/16,::1",
    );
    expect(proxies("2")).toBe(2);
    expect(
      loadConfig([], { READOUT_TRUST_PROXY: "uniquelocal" }, "serve")
        .trustProxy,
    ).toBe("uniquelocal");
  });

  it("refuses to believe everyone, naming the option and the value", () => {
    expect(() => proxies("true")).toThrow(
      'config: --trust-proxy must be loopback, uniquelocal, addresses or ranges (10.0.0.0/8) separated by commas, or a number of hops, got "true"',
    );
    expect(() => proxies("evil.example.org")).toThrow(
      /got "evil\.example\.org"/,
    );
    for (const bad of ["999.1.2.3", "10.0.0.0/33", "::1/129", "loopback,"])
      expect(() => proxies(bad)).toThrow(`got "${bad}"`);
  });

  it("is an option of serve only", () => {
    expect(() =>
      loadConfig(["--trust-proxy", "loopback"], {}, "search"),
    ).toThrow("config: --trust-proxy is not an option of search");
  });
});

describe("defaultCache", () => {
  it("keeps a folder's index in its .readout-cache", () => {
    expect(defaultCache("/srv/statements", {})).toBe(
      "/srv/statements/.readout-cache",
    );
  });

  it("keeps the sample's index beside it when run from a clone", () => {
    // This checkout is not under node_modules: an installed package would use ~/.cache.
    expect(defaultCache(defaults.data, { XDG_CACHE_HOME: "/c" })).toBe(
      path.join(defaults.data, ".readout-cache"),
    );
  });
});
