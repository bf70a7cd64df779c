/**
 * Reading text off images of pages, with Tesseract (Debian's `tesseract-ocr`, its language
 * packs `tesseract-ocr-<lang>`), and turning PDF pages into such images with Poppler's
 * `pdftoppm` (Debian's `poppler-utils`). Both run as programs the parse worker starts and
 * feeds through pipes (no file is written), each under a CPU-time and memory limit of its
 * own that holds even if the worker is stopped, and under the worker's time limit, which a
 * page read shows progress to. Tesseract runs one thread per page: the pool's workers
 * already use every core, and its OpenMP threads fight each other on a loaded machine.
 */
import { spawn } from "node:child_process";
import { FormatError } from "./format-contract.ts";

/** How to read scans: the languages of their text, as Tesseract names them (`eng`, `fra`). */
export interface OcrOptions {
  languages: readonly string[];
  /** Called after each page read, so the worker's clock and the progress line move. */
  onPage?: () => void;
}

/** A line of text on a page image, with its box in pixels. */
export interface OcrLine {
  text: string;
  top: number;
  bottom: number;
  /** The usual height of its words, in pixels. */
  height: number;
  /** Whether it begins a paragraph as Tesseract laid the page out. */
  paragraph: boolean;
}

/** One page read: its lines, its size in pixels, and how sure Tesseract was of its words. */
export interface OcrPage {
  lines: OcrLine[];
  width: number;
  height: number;
  words: number;
  /** The sum of the words' confidences (0–100 each): divide by `words` for the mean. */
  confidence: number;
}

/** What to run to make OCR possible, for messages. */
export const OCR_INSTALL =
  "apt-get install tesseract-ocr tesseract-ocr-<lang> poppler-utils";

/** Resolution pages are drawn at: scans are mostly made at 200–300 dpi. */
export const OCR_DPI = 200;
// Per program run: CPU seconds and address space. A page takes 1–5 s of CPU; a hostile
// PDF page that asks pdftoppm for a huge bitmap meets the memory limit.
const CPU_SECONDS = 120;
const MEMORY_KB = 1024 * 1024;
// A page image of 300 dpi A3 in grey is 25 MB; a text page of TSV well under one.
const MAX_IMAGE_BYTES = 64 * 1024 * 1024;
const MAX_TSV_BYTES = 16 * 1024 * 1024;

let installed: Promise<string[] | undefined> | undefined;

/**
 * The languages Tesseract has installed (without `osd`, which finds orientation, and
 * `equ`), or undefined when Tesseract or pdftoppm is not installed. Asked once per thread.
 */
export function installedLanguages(): Promise<string[] | undefined> {
  installed ??= Promise.all([
    run("tesseract", ["--list-langs"], undefined, 1 << 20).catch(
      () => undefined,
    ),
    run("pdftoppm", ["-v"], undefined, 1 << 20).then(
      () => true,
      (err: Error & { code?: unknown }) => err.code !== "ENOENT",
    ),
  ]).then(([list, poppler]) => {
    if (!list || !poppler) return undefined;
    return new TextDecoder()
      .decode(list)
      .split("\n")
      .slice(1)
      .map((l) => l.trim())
      .filter((l) => /^[\w-]+$/.test(l) && l !== "osd" && l !== "equ");
  });
  return installed;
}

/**
 * The languages to read scans in: those asked for that are installed, or every installed
 * one when none were asked for. Undefined when Tesseract is not installed or OCR was
 * turned off (`asked` empty); `missing` names asked-for languages that are not installed.
 */
export async function ocrLanguages(
  asked: readonly string[] | undefined,
): Promise<{ languages: string[]; missing: string[] } | undefined> {
  if (asked && asked.length === 0) return undefined;
  const have = await installedLanguages();
  if (!have || have.length === 0) return undefined;
  if (!asked) return { languages: have, missing: [] };
  const languages = asked.filter((l) => have.includes(l));
  const missing = asked.filter((l) => !have.includes(l));
  return languages.length ? { languages, missing } : undefined;
}

/**
 * The files to read again because the OCR they waited for is there now: Tesseract was
 * installed since a scan was skipped, or a language pack it lacked. Both engines ask this
 * at start-up of the problems they kept, beside the files whose stamps changed; Tesseract
 * is only asked what it has when some problem waits on it.
 */
export async function filesAwaitingOcr(
  problems: readonly { file: string; awaitsOcr?: string[] }[],
  asked: readonly string[] | undefined,
): Promise<Set<string>> {
  const waiting = problems.filter((p) => p.awaitsOcr);
  const files = new Set<string>();
  if (waiting.length === 0) return files;
  const now = await ocrLanguages(asked);
  if (!now) return files;
  for (const p of waiting)
    if (
      p.awaitsOcr!.length === 0 ||
      p.awaitsOcr!.some((l) => now.languages.includes(l))
    )
      files.add(p.file);
  return files;
}

/** Draws one page of a PDF (1-based) as a grey image (PGM), at OCR_DPI. */
export async function drawPdfPage(
  pdf: Uint8Array,
  page: number,
): Promise<Uint8Array> {
  return run(
    "pdftoppm",
    [
      "-r",
      String(OCR_DPI),
      "-gray",
      "-f",
      String(page),
      "-l",
      String(page),
      "-",
    ],
    pdf,
    MAX_IMAGE_BYTES,
  );
}

/** Reads the text of an image (PNG, JPEG, TIFF with all its pages, PGM); one entry per page. */
export async function recognize(
  image: Uint8Array,
  options: OcrOptions,
): Promise<OcrPage[]> {
  const tsv = await run(
    "tesseract",
    ["stdin", "stdout", "-l", options.languages.join("+"), "tsv"],
    image,
    MAX_TSV_BYTES,
  );
  const pages = parseTsv(new TextDecoder().decode(tsv));
  options.onPage?.();
  return pages;
}

/**
 * Tesseract's TSV: a row per page, block, paragraph, line and word, each with its box;
 * words carry their text and confidence. Lines become OcrLines, page by page.
 */
export function parseTsv(tsv: string): OcrPage[] {
  const pages: OcrPage[] = [];
  let page: OcrPage | undefined;
  let line: (OcrLine & { heights: number[] }) | undefined;
  let paragraph = "";
  const close = () => {
    if (line && page && line.text) {
      line.heights.sort((a, b) => a - b);
      line.height = line.heights[line.heights.length >> 1] ?? 0;
      const { heights: _, ...done } = line;
      page.lines.push(done);
    }
    line = undefined;
  };
  for (const row of tsv.split("\n").slice(1)) {
    const cells = row.split("\t");
    if (cells.length < 12) continue;
    const [level, , block, par, , , , top, width, height, conf] = cells
      .slice(0, 11)
      .map(Number) as number[];
    const text = cells.slice(11).join("\t").trim();
    if (level === 1) {
      close();
      page = {
        lines: [],
        width: width!,
        height: height!,
        words: 0,
        confidence: 0,
      };
      pages.push(page);
    } else if (level === 4 && page) {
      close();
      const key = `${block}/${par}`;
      line = {
        text: "",
        top: top!,
        bottom: top! + height!,
        height: 0,
        heights: [],
        paragraph: key !== paragraph,
      };
      paragraph = key;
    } else if (level === 5 && line && page && text) {
      line.text += (line.text ? " " : "") + text;
      line.heights.push(height!);
      if (conf! >= 0) {
        page.words++;
        page.confidence += conf!;
      }
    }
  }
  close();
  return pages;
}

/**
 * Runs a program with `input` on its standard input and gives its standard output, at most
 * `maxBytes` of it. The shell sets the CPU and memory limits before the program starts, so
 * they hold whatever becomes of this thread.
 */
function run(
  program: string,
  args: string[],
  input: Uint8Array | undefined,
  maxBytes: number,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      "sh",
      [
        "-c",
        `ulimit -t ${CPU_SECONDS} -v ${MEMORY_KB} 2>/dev/null; exec "$0" "$@"`,
        program,
        ...args,
      ],
      {
        env: { ...process.env, OMP_THREAD_LIMIT: "1" },
        stdio: [input ? "pipe" : "ignore", "pipe", "pipe"],
      },
    );
    const chunks: Buffer[] = [];
    let size = 0;
    let error = "";
    let failed: Error | undefined;
    child.stdout!.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        failed ??= new FormatError(
          `${program} gave more than ${maxBytes >> 20} MB for one page`,
        );
        child.kill("SIGKILL");
      } else chunks.push(chunk);
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      if (error.length < 2000) error += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (failed) return reject(failed);
      // `sh` answers 127 when the program is not there.
      if (code === 127)
        return reject(
          Object.assign(new Error(`${program} is not installed`), {
            code: "ENOENT",
          }),
        );
      if (code !== 0)
        return reject(
          new FormatError(
            `${program} failed (${signal ?? `exit ${code}`}): ${lastLine(error)}`,
          ),
        );
      resolve(Buffer.concat(chunks));
    });
    if (input && child.stdin) {
      // A program that stops reading early (a damaged image) closes the pipe: not our error.
      child.stdin.on("error", () => {});
      child.stdin.end(input);
    }
  });
}

function lastLine(text: string): string {
  const lines = text.trim().split("\n").filter(Boolean);
  return (lines.at(-1) ?? "no message").slice(0, 200);
}
