import { decodeText, UnreadableText } from "./files.ts";
import { FormatError, type Parsed } from "./format-contract.ts";
import type { RawRecord } from "./statement.ts";

/**
 * A `.json` file: an array of records. Records of an array have no line of their own, so
 * they are named by position (`record 3`), and that position is part of their default id.
 */
export function parseJsonFile(bytes: Uint8Array): Parsed {
  const text = decodeText(bytes);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    // V8 quotes the text around the error, newlines and all: keep the message on one line.
    const message = (err as Error).message.replace(/\s+/g, " ");
    const position = /position (\d+)/.exec(message);
    const line = position
      ? text.slice(0, Number(position[1])).split("\n").length
      : undefined;
    throw new FormatError(`not valid JSON: ${message}`, line);
  }
  if (!Array.isArray(data))
    throw new FormatError("a .json file must hold an array of records");
  if (data.length === 0) throw new FormatError("the array holds no records");
  return {
    records: (data as RawRecord[]).map((record, n) => ({
      record,
      key: String(n + 1),
      label: `record ${n + 1}`,
    })),
    problems: [],
  };
}

/**
 * One line of a JSON Lines file: a record, nothing for a blank line, or the reason it cannot
 * be read. The reader adds the line number.
 */
export function parseJsonLine(bytes: Uint8Array): Parsed {
  // A blank line between records is harmless.
  if (bytes.every((b) => b === 32 || b === 9 || b === 13))
    return { records: [], problems: [] };
  try {
    const record = JSON.parse(decodeText(bytes, "line")) as RawRecord;
    return { records: [{ record }], problems: [] };
  } catch (err) {
    const message =
      err instanceof UnreadableText
        ? err.message
        : `not valid JSON: ${(err as Error).message}`;
    return { records: [], problems: [{ message, kept: false }] };
  }
}
