import path from "node:path";
import { parseArgs } from "node:util";

/** How Readout runs. Each field can be set by a flag or an environment variable. */
export interface Config {
  /** Folder of statements, read recursively. `--data`, `READOUT_DATA`; default the bundled `data/`. */
  data: string;
  /** TCP port to serve on; 0 picks a free one. `--port`, `READOUT_PORT`; default 3000. */
  port: number;
  /** Interface to listen on. `--host`, `READOUT_HOST`; default 127.0.0.1 (this computer only). */
  host: string;
  /** Stop with a non-zero exit when any file or record has a problem. `--strict`, `READOUT_STRICT=1`; default off. */
  strict: boolean;
}

export const defaults: Config = {
  data: path.resolve(import.meta.dirname, "..", "data"),
  port: 3000,
  host: "127.0.0.1",
  strict: false,
};

export const usage = `Usage: npm start -- [options]

Serves a folder of statements as a search engine in the browser.

Options (each also an environment variable):
  --data DIR   folder of statements, read recursively   READOUT_DATA   (default: the bundled data/)
  --port N     port to serve on, 0 for any free port    READOUT_PORT   (default: 3000)
  --host H     interface to listen on                    READOUT_HOST   (default: 127.0.0.1)
  --strict     exit with an error if any file has a problem   READOUT_STRICT=1
  --help       show this help`;

/** Thrown for a bad option; the message names the option and the value. */
export class ConfigError extends Error {}

/** Merges flags over environment variables over defaults, and validates once. */
export function loadConfig(
  argv: string[],
  env: Record<string, string | undefined>,
): Config & { help: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        data: { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        strict: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new ConfigError(
      `config: ${(err as Error).message.split("\n")[0]} (see --help)`,
    );
  }
  const pick = (flag: keyof typeof values, envName: string) =>
    values[flag] !== undefined
      ? { value: String(values[flag]), from: `--${flag}` }
      : env[envName] !== undefined
        ? { value: env[envName]!, from: envName }
        : undefined;

  const data = pick("data", "READOUT_DATA");
  const port = pick("port", "READOUT_PORT");
  const host = pick("host", "READOUT_HOST");
  const strictEnv = env.READOUT_STRICT;
  if (
    strictEnv !== undefined &&
    !/^(1|0|true|false|yes|no|)$/i.test(strictEnv)
  ) {
    throw new ConfigError(
      `config: READOUT_STRICT must be 1 or 0, got "${strictEnv}"`,
    );
  }
  return {
    data: data ? checkedData(data.value, data.from) : defaults.data,
    port: port ? checkedPort(port.value, port.from) : defaults.port,
    host: host ? checkedHost(host.value, host.from) : defaults.host,
    strict: values.strict ?? /^(1|true|yes)$/i.test(strictEnv ?? ""),
    help: values.help ?? false,
  };
}

function checkedData(value: string, from: string): string {
  if (value.trim() === "")
    throw new ConfigError(`config: ${from} must name a folder, got ""`);
  return path.resolve(value);
}

function checkedPort(value: string, from: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65535) {
    throw new ConfigError(
      `config: ${from} must be a whole number from 0 to 65535, got "${value}"`,
    );
  }
  return port;
}

function checkedHost(value: string, from: string): string {
  if (!/^[\w.:[\]-]+$/.test(value)) {
    throw new ConfigError(
      `config: ${from} must be a host name or IP address, got "${value}"`,
    );
  }
  return value;
}
