import { isIP } from "node:net";
import path from "node:path";
import { formDate } from "../query/params.ts";
import { availableMemory, MemoryOptionError, sizeMb } from "./launcher.ts";

/**
 * How each kind of option value is read. A reader takes the value as given and `from`, the
 * flag or variable that gave it (`--port`, `READOUT_PORT`), and throws a ConfigError naming
 * both when the value will not do.
 */
export type Reader<T> = (value: string, from: string) => T;

/** Thrown for a bad option; the message names the option and the value. */
export class ConfigError extends Error {}

/** A folder, made absolute. */
export const folder: Reader<string> = (value, from) => {
  if (value.trim() === "")
    throw new ConfigError(`config: ${from} must name a folder, got ""`);
  return path.resolve(value);
};

/** A folder, or `off` (0, false, no) for none. */
export const folderOrOff: Reader<string | null> = (value, from) =>
  /^(off|0|false|no)$/i.test(value) ? null : folder(value, from);

/** A whole number from `min` to `max`. */
export function wholeNumber(min: number, max: number): Reader<number> {
  return (value, from) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < min || n > max)
      throw new ConfigError(
        `config: ${from} must be a whole number from ${min} to ${max}, got "${value}"`,
      );
    return n;
  };
}

/** A host name or an IP address. */
export const host: Reader<string> = (value, from) => {
  if (!/^[\w.:[\]-]+$/.test(value))
    throw new ConfigError(
      `config: ${from} must be a host name or IP address, got "${value}"`,
    );
  return value;
};

/**
 * The proxies to believe, as Express's `trust proxy` takes them: false for none. Express would
 * also take `true` (believe anyone): then any client could pick the host and protocol of every
 * absolute link, so the proxy must be named.
 */
export const proxies: Reader<string | number | false> = (value, from) => {
  if (/^(?:off|false|no|)$/i.test(value.trim())) return false;
  if (/^\d{1,2}$/.test(value.trim())) return Number(value);
  const parts = value.split(",").map((p) => p.trim());
  const ok = parts.every((p) => {
    if (/^(loopback|linklocal|uniquelocal)$/.test(p)) return true;
    const [address = "", bits, ...rest] = p.split("/");
    const version = isIP(address);
    return (
      version !== 0 &&
      rest.length === 0 &&
      (bits === undefined ||
        (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128)))
    );
  });
  if (!ok)
    throw new ConfigError(
      `config: ${from} must be loopback, uniquelocal, addresses or ranges (10.0.0.0/8) separated by commas, or a number of hops, got "${value}"`,
    );
  return parts.join(",");
};

/**
 * The origin others reach the archive at (`https://archive.example.org`). Readout's links are
 * paths from the root (`/statements/…`), so a path is refused: a proxy that serves Readout
 * under one would need every link rewritten.
 */
export const origin: Reader<string> = (value, from) => {
  let url: URL | undefined;
  try {
    url = new URL(value.trim());
  } catch {
    url = undefined;
  }
  if (
    !url ||
    !/^https?:$/.test(url.protocol) ||
    url.username ||
    url.password ||
    url.pathname !== "/" ||
    url.search ||
    url.hash
  )
    throw new ConfigError(
      `config: ${from} must be an http:// or https:// address without a path, such as https://archive.example.org, got "${value}"`,
    );
  return url.origin;
};

/** One of `options`. */
export function choice<T extends string>(options: readonly T[]): Reader<T> {
  return (value, from) => {
    if (!options.includes(value as T)) {
      const list = `${options.slice(0, -1).join(", ")} or ${options.at(-1)}`;
      throw new ConfigError(`config: ${from} must be ${list}, got "${value}"`);
    }
    return value as T;
  };
}

/** A day, month or year, as the search form takes it; written-out dates are read too. */
export const date: Reader<string> = (value, from) => {
  const iso = formDate(value);
  if (!iso)
    throw new ConfigError(
      `config: ${from} must be a date as YYYY, YYYY-MM or YYYY-MM-DD, got "${value}"`,
    );
  return iso;
};

/** Any text: the reader of a value checked where it is used (a PostgreSQL spec). */
export const text: Reader<string> = (value) => value;

/** A heap limit in MiB, as the launcher reads it (`8g`, `6144m`, `50%` of this computer's memory). */
export const heapSize: Reader<number> = (value, from) => {
  try {
    return sizeMb(value, from, availableMemory());
  } catch (err) {
    if (err instanceof MemoryOptionError) throw new ConfigError(err.message);
    throw err;
  }
};

/** A switch set by an environment variable: 1, true or yes; 0, false or no. */
export const onOff: Reader<boolean> = (value, from) => {
  if (/^(1|true|yes)$/i.test(value)) return true;
  if (/^(0|false|no)$/i.test(value)) return false;
  throw new ConfigError(`config: ${from} must be 1 or 0, got "${value}"`);
};

/** Tesseract's language names joined by `+`, commas or spaces (`eng+fra`, `chi_sim`); `none` for none. */
export const languages: Reader<string[]> = (value, from) => {
  if (/^\s*(?:none|off)\s*$/i.test(value)) return [];
  const names = value.split(/[+,\s]+/).filter(Boolean);
  const bad = names.find((n) => !/^[a-z]{3}(?:_[a-z]{3,4})?$/i.test(n));
  if (names.length === 0 || bad !== undefined)
    throw new ConfigError(
      `config: ${from} must be Tesseract's language names joined by + (eng+fra, chi_sim) or none, got "${value}"`,
    );
  return names;
};
