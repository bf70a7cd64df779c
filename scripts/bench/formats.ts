/**
 * Reading saved pages, PDFs and Word files (issue 11): files/s and MB/s of each format's
 * parser on the development set (../shared/corpus-world), one file after another in one
 * thread; then a cold and a warm start of a folder of 1,000 PDFs through the Library, as
 * `npm start` opens a folder (workers, saved index). The PDFs are copies of the development
 * set's text PDFs when it is there, else generated. Run alone:
 * `npx tsx scripts/bench/formats.ts [--runs N] [--dev DIR]`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { copyFile, mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { Library } from "../../src/engines/memory/library.ts";
import { formatOf, type ParseContext } from "../../src/ingest/formats.ts";
import { ocrLanguages } from "../../src/ingest/ocr.ts";
import { median } from "./stats.ts";
import { benchDir } from "./synthetic.ts";

const FOLDERS = ["html", "pdf", "docx"];

/** The tables of this part of the benchmark, as Markdown. */
export async function benchFormats(
  dev: string,
  runs: number,
  log: (line: string) => void,
): Promise<string> {
  const lines: string[] = [];
  if (existsSync(dev)) {
    lines.push(
      `Parsers on the development set (${dev}), one thread, median of ${runs} runs:`,
      "",
      "| format | files | MB | files/s | MB/s |",
      "| --- | ---: | ---: | ---: | ---: |",
    );
    for (const folder of FOLDERS) {
      const dir = path.join(dev, folder);
      if (!existsSync(dir)) continue;
      const files = readdirSync(dir).map((f) => ({
        name: f,
        bytes: new Uint8Array(readFileSync(path.join(dir, f))),
      }));
      const total = files.reduce((sum, f) => sum + f.bytes.length, 0);
      const times: number[] = [];
      for (let run = 0; run < runs; run++) {
        const started = performance.now();
        for (const file of files) {
          const parse = await formatOf(file.name)!.load();
          try {
            await parse(file.bytes, file.name, WITHOUT_OCR);
          } catch {
            // A refused file (scan, gibberish) costs its time all the same.
          }
        }
        times.push((performance.now() - started) / 1000);
        log(`formats: ${folder} run ${run + 1}: ${times.at(-1)!.toFixed(1)} s`);
      }
      const s = median(times);
      lines.push(
        `| ${folder} | ${files.length} | ${(total / 1e6).toFixed(1)} | ${(files.length / s).toFixed(1)} | ${(total / 1e6 / s).toFixed(2)} |`,
      );
    }
    lines.push("");
    lines.push(...(await benchOcr(dev, runs, log)));
  }
  const folder = await thousandPdfs(dev);
  const cold: number[] = [];
  const warm: number[] = [];
  let statements = 0;
  for (let run = 0; run < runs; run++) {
    const cache = path.join(folder, ".readout-cache");
    await rm(cache, { recursive: true, force: true });
    const open = async () => {
      const library = new Library({ dataDir: folder, cacheDir: cache });
      const started = performance.now();
      await library.open();
      const seconds = (performance.now() - started) / 1000;
      await library.close();
      statements = library.corpus?.byId.size ?? 0;
      return seconds;
    };
    cold.push(await open());
    warm.push(await open());
    log(
      `formats: 1,000 PDFs run ${run + 1}: cold ${cold.at(-1)!.toFixed(1)} s, warm ${warm.at(-1)!.toFixed(1)} s`,
    );
  }
  lines.push(
    `A folder of 1,000 PDFs (${statements} statements), opened as \`npm start\` opens it, median of ${runs} runs:`,
    "",
    "| start | seconds | PDFs/s | ÷ cold |",
    "| --- | ---: | ---: | ---: |",
    `| cold (parse in workers, index, save) | ${median(cold).toFixed(1)} | ${(1000 / median(cold)).toFixed(0)} | 1.00× |`,
    `| warm (saved index, nothing parsed) | ${median(warm).toFixed(1)} | ${(1000 / median(warm)).toFixed(0)} | ${(median(warm) / median(cold)).toFixed(2)}× |`,
    "",
  );
  return lines.join("\n");
}

const WITHOUT_OCR: ParseContext = {
  ocr: async () => undefined,
  ocrPage: () => {},
  formatOf,
};

/**
 * OCR pages/s: the development set's scans (PDFs without a text layer), read one after
 * another as a parse worker reads them: two pages at a time, each by a Tesseract process
 * of one thread (pdf.ts PAGES_AT_ONCE).
 */
async function benchOcr(
  dev: string,
  runs: number,
  log: (line: string) => void,
): Promise<string[]> {
  const installed = await ocrLanguages(undefined);
  if (!installed) return ["OCR: Tesseract or pdftoppm is not installed.", ""];
  const languages = installed.languages.includes("eng")
    ? ["eng"]
    : installed.languages.slice(0, 1);
  const dir = path.join(dev, "pdf");
  const scans: { name: string; bytes: Uint8Array }[] = [];
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const bytes = new Uint8Array(readFileSync(path.join(dir, name)));
    const parse = await formatOf(name)!.load();
    try {
      await parse(bytes, name, WITHOUT_OCR);
    } catch (err) {
      if (/no text layer/.test((err as Error).message))
        scans.push({ name, bytes });
    }
  }
  if (scans.length === 0) return ["OCR: no scan in the development set.", ""];
  let pages = 0;
  let characters = 0;
  const context: ParseContext = {
    ocr: async () => ({ languages, missing: [] }),
    ocrPage: () => pages++,
    formatOf,
  };
  const rates: number[] = [];
  for (let run = 0; run < runs; run++) {
    pages = 0;
    characters = 0;
    const started = performance.now();
    for (const scan of scans) {
      const parsed = await (
        await formatOf(scan.name)!.load()
      )(scan.bytes, scan.name, context);
      for (const { record } of parsed.records)
        characters += String(record.body ?? "").length;
    }
    const seconds = (performance.now() - started) / 1000;
    rates.push(pages / seconds);
    log(
      `formats: OCR run ${run + 1}: ${pages} pages in ${seconds.toFixed(1)} s`,
    );
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)]!;
  return [
    `OCR of the development set's scans (Tesseract ${languages.join("+")}, two pages at a time, one thread each), median of ${runs} runs:`,
    "",
    "| scans | pages | pages/s (median) | slowest – fastest run | characters read |",
    "| ---: | ---: | ---: | ---: | ---: |",
    `| ${scans.length} | ${pages} | ${median.toFixed(2)} | ${rates[0]!.toFixed(2)} – ${rates[rates.length - 1]!.toFixed(2)} | ${characters.toLocaleString("en")} |`,
    "",
  ];
}

/** 1,000 PDFs in the benchmark folder: copies of the development set's text PDFs, or generated. */
async function thousandPdfs(dev: string): Promise<string> {
  const pdfs = path.join(dev, "pdf");
  const sources = existsSync(pdfs)
    ? readdirSync(pdfs)
        .filter((f) => f.startsWith("ohchr") || f.startsWith("udhr"))
        .filter((f) => !/SCANNED|vietnamese|181pages/.test(f))
        .map((f) => path.join(pdfs, f))
    : [];
  const folder = path.join(
    benchDir,
    sources.length ? "pdfs-1000-dev" : "pdfs-1000-generated",
  );
  if (existsSync(path.join(folder, "0999.pdf"))) return folder;
  await mkdir(folder, { recursive: true });
  for (let i = 0; i < 1000; i++) {
    const target = path.join(folder, `${String(i).padStart(4, "0")}.pdf`);
    if (sources.length) await copyFile(sources[i % sources.length]!, target);
    else await writeFile(target, generatedPdf(i));
  }
  return folder;
}

// A two-page statement with text that differs from file to file.
function generatedPdf(n: number): Buffer {
  const words = [
    "harbour",
    "treaty",
    "fisheries",
    "delegation",
    "ceasefire",
    "agreement",
    "minister",
    "border",
    "channel",
    "commission",
  ];
  const line = (k: number) =>
    Array.from(
      { length: 10 },
      (_, j) => words[(n * 7 + k * 3 + j * 5) % words.length],
    ).join(" ");
  const page = (from: number) =>
    Array.from(
      { length: 30 },
      (_, k) => `BT /F1 11 Tf 72 ${720 - k * 14} Td (${line(from + k)}) Tj ET`,
    ).join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R /Resources << /Font << /F1 7 0 R >> >> >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 6 0 R /Resources << /Font << /F1 7 0 R >> >> >>",
    stream(`BT /F1 18 Tf 72 750 Td (Statement number ${n}) Tj ET\n${page(0)}`),
    stream(page(30)),
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

function stream(content: string): string {
  return `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const value = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const dev = path.resolve(
    value("--dev") ?? path.join("..", "shared", "corpus-world"),
  );
  console.log(
    await benchFormats(dev, Number(value("--runs") ?? 3), (l) =>
      console.error(l),
    ),
  );
}
