import { exitWith, processIo } from "./cli/io.ts";
import { main } from "./cli/main.ts";

exitWith(await main(process.argv.slice(2), process.env, processIo()));
