import type { Config } from "../runtime/config.ts";
import { addUser, type Role } from "../runtime/users.ts";
import { writeLine, type Io } from "./io.ts";

/** Passwords shorter than this are refused: a shared server's sign-in is its only lock. */
const MIN_PASSWORD = 8;

/**
 * `readout user add NAME --role editor|reader --users FILE`: adds a person to the users file
 * (or gives one there a new role and password). The password is asked for twice on a
 * terminal, without echo, or read from the first line of standard input.
 */
export async function userCommand(config: Config, io: Io): Promise<number> {
  const name = config.userName!;
  let password: string;
  try {
    password = await readPassword(io, `Password for ${name}: `);
    if (io.in?.isTTY) {
      const again = await readPassword(io, "The same again: ");
      if (again !== password) {
        writeLine(
          io.err,
          "user: the two passwords differ; nothing was written",
        );
        return 1;
      }
    }
  } catch (err) {
    writeLine(io.err, `user: ${(err as Error).message}`);
    return 1;
  }
  if ([...password].length < MIN_PASSWORD) {
    writeLine(
      io.err,
      `user: a password needs at least ${MIN_PASSWORD} characters; nothing was written`,
    );
    return 1;
  }
  try {
    const added = await addUser(
      config.users!,
      name,
      config.role as Role,
      password,
    );
    writeLine(
      io.out,
      added
        ? `Added ${name} (${config.role}) to ${config.users}.`
        : `${name} was in ${config.users}: the role is now ${config.role} and the password is new.`,
    );
    return 0;
  } catch (err) {
    writeLine(io.err, (err as Error).message);
    return 1;
  }
}

/** A line of standard input; on a terminal, typed without echo. */
async function readPassword(io: Io, prompt: string): Promise<string> {
  const input = io.in;
  if (!input) throw new Error("no standard input to read the password from");
  if (input.isTTY && input.setRawMode) {
    io.err.write(prompt);
    input.setRawMode(true);
    try {
      return await new Promise<string>((resolve, reject) => {
        let typed = "";
        const onData = (chunk: Buffer) => {
          for (const c of chunk.toString("utf8")) {
            if (c === "\r" || c === "\n") {
              done();
              io.err.write("\n");
              return resolve(typed);
            }
            if (c === "\u0003") {
              done();
              return reject(new Error("stopped"));
            }
            if (c === "\u007f" || c === "\b")
              typed = [...typed].slice(0, -1).join("");
            else typed += c;
          }
        };
        const done = () => {
          input.off("data", onData);
          input.pause();
        };
        input.on("data", onData);
        input.resume();
      });
    } finally {
      input.setRawMode(false);
    }
  }
  let text = "";
  for await (const chunk of input) {
    text += String(chunk);
    if (text.includes("\n")) break;
  }
  const line = text.split(/\r?\n/)[0] ?? "";
  if (!line) throw new Error("no password on standard input");
  return line;
}
