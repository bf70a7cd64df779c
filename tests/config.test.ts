import path from "node:path";
import { describe, expect, it } from "vitest";
import { defaults, loadConfig } from "../src/config.ts";

describe("loadConfig", () => {
  it("uses the defaults when nothing is set", () => {
    expect(loadConfig([], {})).toEqual({ ...defaults, help: false });
    expect(defaults).toMatchObject({
      port: 3000,
      host: "127.0.0.1",
      strict: false,
    });
    expect(path.basename(defaults.data)).toBe("data");
  });

  it("reads environment variables, and flags over them", () => {
    const env = {
      READOUT_DATA: "/srv/a",
      READOUT_PORT: "4000",
      READOUT_HOST: "0.0.0.0",
      READOUT_STRICT: "1",
    };
    expect(loadConfig([], env)).toMatchObject({
      data: "/srv/a",
      port: 4000,
      host: "0.0.0.0",
      strict: true,
    });
    expect(
      loadConfig(["--data", "/srv/b", "--port=5000", "--host", "::1"], env),
    ).toMatchObject({
      data: "/srv/b",
      port: 5000,
      host: "::1",
    });
  });

  it("names the option and the value when a value is bad", () => {
    expect(() => loadConfig(["--port", "abc"], {})).toThrow(
      'config: --port must be a whole number from 0 to 65535, got "abc"',
    );
    expect(() => loadConfig([], { READOUT_PORT: "70000" })).toThrow(
      'config: READOUT_PORT must be a whole number from 0 to 65535, got "70000"',
    );
    expect(() => loadConfig(["--host", "a host"], {})).toThrow(
      'config: --host must be a host name or IP address, got "a host"',
    );
    expect(() => loadConfig([], { READOUT_STRICT: "maybe" })).toThrow(
      'config: READOUT_STRICT must be 1 or 0, got "maybe"',
    );
  });

  it("refuses unknown options", () => {
    expect(() => loadConfig(["--colour"], {})).toThrow(
      /config: Unknown option '--colour'/,
    );
  });
});
