import { main } from "./cli/main.ts";

// `readout search … | head` closes the pipe before the output ends: not an error.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});
const io = { out: process.stdout, err: process.stderr, env: process.env };
const code = await main(process.argv.slice(2), process.env, io);
if (code !== 0) process.exit(code);
