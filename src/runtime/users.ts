/**
 * The people of a shared server (`--users FILE`): one line each, `NAME ROLE HASH`, the hash a
 * PHC string of scrypt (`$scrypt$ln=15,r=8,p=1$SALT$HASH`, base64 without padding). Lines
 * starting with `#` and blank lines are left alone. `readout user add` writes the file.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { open, readFile, rename } from "node:fs/promises";

export type Role = "editor" | "reader";
export const ROLES: readonly Role[] = ["editor", "reader"];

export interface User {
  name: string;
  role: Role;
  /** The PHC string of the password's scrypt hash. */
  hash: string;
}

/** A bad users file or name: the message names the file, the line or the value. */
export class UsersError extends Error {}

/** scrypt's cost: 2^15 rounds of 128 × 8 bytes, about 0.1 s and 32 MiB per sign-in. */
export const DEFAULT_COST = { ln: 15, r: 8, p: 1 };

const NAME = /^[\p{L}\p{N}._-]{1,40}$/u;
const PHC =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** A person's name, checked: 1 to 40 letters, digits, `.`, `_` or `-`. */
export function checkUserName(name: string): string {
  if (!NAME.test(name))
    throw new UsersError(
      `users: a name is 1 to 40 letters, digits, ".", "_" or "-", got "${name.slice(0, 60)}"`,
    );
  return name;
}

/** Reads a users file; throws UsersError naming the line at fault. */
export async function readUsers(file: string): Promise<Map<string, User>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new UsersError(
      `users: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return parseUsers(text, file);
}

/** The users a file's text lists. */
export function parseUsers(text: string, file: string): Map<string, User> {
  const users = new Map<string, User>();
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const [name = "", role = "", hash = "", ...rest] = line.split(/\s+/);
    const where = `users: ${file}:${i + 1}`;
    if (rest.length || !hash)
      throw new UsersError(`${where}: expected NAME ROLE HASH`);
    if (!NAME.test(name)) throw new UsersError(`${where}: bad name "${name}"`);
    if (!ROLES.includes(role as Role))
      throw new UsersError(
        `${where}: the role is editor or reader, got "${role}"`,
      );
    if (!PHC.test(hash))
      throw new UsersError(`${where}: the hash is not a $scrypt$ PHC string`);
    if (users.has(name))
      throw new UsersError(`${where}: "${name}" is listed twice`);
    users.set(name, { name, role: role as Role, hash });
  });
  return users;
}

/** The PHC string of a password's scrypt hash, with a fresh salt. */
export async function hashPassword(
  password: string,
  cost = DEFAULT_COST,
): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost, 32);
  return `$scrypt$ln=${cost.ln},r=${cost.r},p=${cost.p}$${b64(salt)}$${b64(key)}`;
}

/** Whether `password` is the one `hash` was made from; takes as long either way. */
export async function verifyPassword(
  password: string,
  hash: string,
): Promise<boolean> {
  const m = PHC.exec(hash);
  if (!m) return false;
  const [, ln, r, p, salt, expected] = m as unknown as string[];
  const want = Buffer.from(expected!, "base64");
  const got = await derive(
    password,
    Buffer.from(salt!, "base64"),
    { ln: Number(ln), r: Number(r), p: Number(p) },
    want.length,
  );
  return got.length === want.length && timingSafeEqual(got, want);
}

/**
 * Adds a person to a users file (made if missing), or gives one already there a new role and
 * password; written whole beside the file and renamed over it, readable by its owner only.
 * Returns whether the person was new.
 */
export async function addUser(
  file: string,
  name: string,
  role: Role,
  password: string,
  cost = DEFAULT_COST,
): Promise<boolean> {
  checkUserName(name);
  let text = "";
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT")
      throw new UsersError(
        `users: cannot read ${file}: ${(err as NodeJS.ErrnoException).code}`,
      );
  }
  const known = parseUsers(text, file).has(name);
  const line = `${name} ${role} ${await hashPassword(password, cost)}`;
  const lines = text
    .split("\n")
    .filter((l, i, all) => i < all.length - 1 || l !== "")
    .map((l) => (l.trim().split(/\s+/)[0] === name ? line : l));
  if (!known) {
    if (lines.length === 0)
      lines.push(
        "# Readout users: NAME ROLE HASH (readout user add NAME --role editor|reader)",
      );
    lines.push(line);
  }
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await open(temporary, "w", 0o600);
  try {
    await handle.write(lines.join("\n") + "\n");
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
  return !known;
}

function derive(
  password: string,
  salt: Buffer,
  cost: { ln: number; r: number; p: number },
  length: number,
): Promise<Buffer> {
  const N = 2 ** cost.ln;
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize("NFC"),
      salt,
      length,
      { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r + (1 << 20) },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  );
}

function b64(bytes: Buffer): string {
  // Padding only ever ends base64.
  return bytes.toString("base64").replaceAll("=", "");
}
