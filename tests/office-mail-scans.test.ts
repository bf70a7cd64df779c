import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { deflateRawSync, deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseDoc } from "../src/ingest/doc.ts";
import { formatOf, type ParseContext } from "../src/ingest/formats.ts";
import { imageSize, parseImage } from "../src/ingest/image.ts";
import { parseEml, parseMbox } from "../src/ingest/mail.ts";
import { Library } from "../src/engines/memory/library.ts";
import { filesAwaitingOcr, installedLanguages } from "../src/ingest/ocr.ts";
import { parseOdt } from "../src/ingest/odt.ts";
import { parsePdf, recordOfPages } from "../src/ingest/pdf.ts";
import { parseRtf } from "../src/ingest/rtf.ts";
import { fixtures } from "./helpers.ts";

// The fixtures were made by LibreOffice, pdftoppm and Python's email package from
// statement.fodt (see make-office.sh): its text states 14 March 2024, its properties
// say it was made on 30 June 2019.
const formats = path.join(fixtures, "formats");
const bytes = (name: string) =>
  new Uint8Array(readFileSync(path.join(formats, name)));

const noOcr: ParseContext = {
  ocr: async () => undefined,
  ocrPage: () => {},
  formatOf,
};
const tesseract = await installedLanguages();
const english = tesseract?.includes("eng");
let pagesRead = 0;
const withOcr: ParseContext = {
  ocr: async () => ({ languages: ["eng"], missing: [] }),
  ocrPage: () => pagesRead++,
  formatOf,
};

describe("word-processor files made by LibreOffice", () => {
  it.each([
    ["statement.doc", parseDoc],
    ["statement.odt", parseOdt],
    ["statement.rtf", parseRtf],
  ] as const)(
    "reads %s: the heading past the letterhead, the date the text states, the paragraphs",
    async (name, parse) => {
      const { records, problems } = await parse(bytes(name));
      expect(problems).toEqual([]);
      expect(records).toHaveLength(1);
      const { record } = records[0]!;
      expect(record.title).toBe("Harbour agreement signed");
      // The text's date, not the file's (30 June 2019).
      expect(record.date).toBe("2024-03-14");
      expect(record.lang).toBe("en");
      expect(String(record.body)).toContain(
        "Fishing boats of both countries may now shelter in either port during storms.",
      );
      expect(String(record.body).split("\n\n").length).toBeGreaterThanOrEqual(
        3,
      );
    },
  );

  it("lists them in the format table", () => {
    for (const ext of [
      ".doc",
      ".odt",
      ".rtf",
      ".eml",
      ".mbox",
      ".png",
      ".jpg",
      ".tif",
    ])
      expect(formatOf(`a${ext.toUpperCase()}`)?.isolated).toBe(true);
  });
});

describe("hostile word-processor files", () => {
  it("refuses an OpenDocument nested thousands deep, and a zip bomb", () => {
    const deep = `<office:document-content><office:body><office:text>${"<text:span>".repeat(5000)}x${"</text:span>".repeat(5000)}</office:text></office:body></office:document-content>`;
    expect(() => parseOdt(zip({ "content.xml": deep }))).toThrow(
      /nested more than 256 deep/,
    );
    expect(() =>
      parseOdt(
        zip({ "content.xml": "<a/>", "big.xml": "x" }, { "big.xml": 2 ** 31 }),
      ),
    ).toThrow(/zip bomb/);
  });

  it("refuses RTF groups nested thousands deep, and reads a \\u's fallback once", () => {
    expect(() => parseRtf(ascii(`{\\rtf1 ${"{".repeat(100_000)}x`))).toThrow(
      /nested more than 512 deep/,
    );
    const { records } = parseRtf(
      ascii(
        "{\\rtf1\\ansi\\ansicpg1251 {\\info{\\title \\'cf\\'f0\\'e8\\'e2\\'e5\\'f2}}\\pard \\u1052?\\u1080?\\u1088? \\'e2\\'f1\\'e5\\'ec\\par}",
      ),
    );
    expect(records[0]!.record).toMatchObject({
      title: "Привет",
      body: "Мир всем",
    });
  });

  it("refuses a .doc that is not a Word 97–2003 file", async () => {
    await expect(parseDoc(bytes("statement.odt"))).rejects.toThrow(
      /not a Word 97–2003 file/,
    );
  });
});

describe("e-mail", () => {
  it("reads a message: subject, sender, the date as written, the text without its signature", async () => {
    const { records, problems } = await parseEml(
      bytes("press-release.eml"),
      "mail/press-release.eml",
      noOcr,
    );
    expect(problems).toEqual([]);
    const [message, attachment] = records;
    expect(message!.record).toMatchObject({
      title: "Harbour agreement signed",
      source: "Ministry of Maritime Affairs Press Office",
      // 23:30 in New York is 15 March in UTC: the day stays the one written.
      date: "2024-03-14T23:30:00-05:00",
      body: "The two governments signed the harbour agreement today.\n\nFishing boats of both countries may now shelter in either port during storms.",
      attachments: ["mail/press-release/attachment-1"],
    });
    // The attached .odt is a statement of its own, linked to its message.
    expect(attachment!.key).toBe("attachment-1");
    expect(attachment!.record).toMatchObject({
      title: "Harbour agreement signed",
      date: "2024-03-14",
      source: "Ministry of Maritime Affairs Press Office",
      message: "mail/press-release",
      attachment: "agreement.odt",
    });
  });

  it("reads each message of a mailbox as a statement, a quoted From line unescaped", async () => {
    const { records } = await parseMbox(
      bytes("releases.mbox"),
      "r.mbox",
      noOcr,
    );
    expect(records.map((r) => [r.key, r.record.title])).toEqual([
      ["1", "Fisheries talks resume"],
      ["2", "Harbour agreement signed"],
    ]);
    expect(records[0]!.record.body).toContain("\nFrom now on");
  });

  it("reports a message nested past the MIME limits and reads the next", async () => {
    let deep = "Content-Type: text/plain\n\nhidden";
    for (let i = 0; i < 60; i++)
      deep = `Content-Type: multipart/mixed; boundary="b${i}"\n\n--b${i}\n${deep}\n--b${i}--`;
    const box = `From a\nSubject: deep\n${deep}\nFrom b\nSubject: fine\n\nA plain message.\n`;
    const { records, problems } = await parseMbox(ascii(box), "x.mbox", noOcr);
    expect(records.map((r) => r.record.title)).toEqual(["fine"]);
    expect(problems[0]!.message).toMatch(/^message 1: not a message/);
  });
});

describe("scans and images read by OCR", () => {
  it("refuses an image, and a scanned PDF, with the install line when there is no Tesseract", async () => {
    await expect(
      parseImage(bytes("page.png"), "page.png", noOcr),
    ).rejects.toThrow(
      /by OCR once Tesseract is installed: apt-get install tesseract-ocr/,
    );
    await expect(parsePdf(scannedPdf(), "scan.pdf", noOcr)).rejects.toThrow(
      /no text layer .* apt-get install tesseract-ocr/,
    );
  });

  it("refuses an image whose header claims more pixels than a page, before reading it", async () => {
    const png = bytes("page.png").slice();
    new DataView(png.buffer).setUint32(16, 100_000);
    new DataView(png.buffer).setUint32(20, 100_000);
    expect(imageSize(png)).toEqual({ width: 100_000, height: 100_000 });
    await expect(parseImage(png, "bomb.png", withOcr)).rejects.toThrow(
      /decompression bomb/,
    );
  });

  it("reads the size of a PNG, a JPEG and a TIFF from its header", () => {
    for (const name of ["page.png", "page.jpg", "page.tif"])
      expect(imageSize(bytes(name))).toEqual({ width: 641, height: 455 });
  });

  it.runIf(english)(
    "reads an image: its title past the letterhead, its date and text, and says it was OCR",
    { timeout: 60_000 },
    async () => {
      const { records } = await parseImage(
        bytes("page.png"),
        "page.png",
        withOcr,
      );
      const { record } = records[0]!;
      expect(record.title).toBe("Harbour agreement signed");
      expect(record.date).toBe("2024-03-14");
      expect(String(record.body)).toContain("shelter in either port");
      expect(record.ocr).toMatch(/^Tesseract eng, mean confidence \d+%$/);
    },
  );

  it.runIf(english)(
    "reads the pages of a PDF without a text layer, each keeping its number",
    { timeout: 60_000 },
    async () => {
      pagesRead = 0;
      const { records } = await parsePdf(scannedPdf(2), "scan.pdf", withOcr);
      const { record, pages } = records[0]!;
      expect(pagesRead).toBe(2);
      expect(record.ocr).toMatch(
        /^pages 1–2, Tesseract eng, mean confidence \d+%$/,
      );
      expect(pages).toHaveLength(2);
      const body = String(record.body);
      expect(body.slice(pages![1]!)).toContain("shelter in either port");
    },
  );
});

function ascii(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

// A PDF of `pages` pages, each only the JPEG of the statement's page (DCTDecode): a scan.
function scannedPdf(pages = 1): Uint8Array {
  const jpeg = Buffer.from(bytes("page.jpg"));
  const size = jpegSize(jpeg);
  const objects: (string | Buffer)[] = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    `<< /Type /Pages /Kids [${Array.from({ length: pages }, (_, i) => `${4 + i * 2} 0 R`).join(" ")}] /Count ${pages} >>`,
    Buffer.concat([
      Buffer.from(
        `<< /Type /XObject /Subtype /Image /Width ${size.width} /Height ${size.height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>\nstream\n`,
      ),
      jpeg,
      Buffer.from("\nendstream"),
    ]),
  ];
  const draw = `q ${(size.width * 72) / 110} 0 0 ${(size.height * 72) / 110} 0 0 cm /Im Do Q`;
  for (let i = 0; i < pages; i++)
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${(size.width * 72) / 110} ${(size.height * 72) / 110}] /Resources << /XObject << /Im 3 0 R >> >> /Contents ${5 + i * 2} 0 R >>`,
      `<< /Length ${draw.length} >>\nstream\n${draw}\nendstream`,
    );
  const parts: Buffer[] = [Buffer.from("%PDF-1.4\n")];
  let length = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(length);
    const part = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`),
      Buffer.isBuffer(body) ? body : Buffer.from(body),
      Buffer.from("\nendobj\n"),
    ]);
    parts.push(part);
    length += part.length;
  });
  parts.push(
    Buffer.from(
      `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`,
    ),
  );
  return new Uint8Array(Buffer.concat(parts));
}

function jpegSize(jpeg: Buffer): { width: number; height: number } {
  const size = imageSize(new Uint8Array(jpeg));
  if (!size) throw new Error("test: page.jpg has no size");
  return size;
}

// A zip of stored entries; `claimed` makes an entry's directory record lie about its size.
function zip(
  files: Record<string, string>,
  claimed: Record<string, number> = {},
): Uint8Array {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = deflateRawSync(Buffer.from(text));
    const size = Buffer.byteLength(text);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, data);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(Math.min(claimed[name] ?? size, 0xfffffffe), 24);
    entry.writeUInt16LE(nameBytes.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

describe("titles a person would pick", () => {
  const line = (text: string, y: number, size = 11) => ({
    text,
    y,
    size,
    uniform: true,
  });

  it("passes over a letterhead and an annex mark set in the largest type", () => {
    const { record } = recordOfPages(
      [
        [
          line("REPUBLIQUE DU CAMEROUN REPUBLIC OF CAMEROON", 800, 16),
          line("（別添④）", 780, 16),
          line("Communiqué on the regional water summit", 740, 16),
          line("Yaoundé, 3 April 2024", 700),
          line("The ministers agreed on a common plan for the basin.", 680),
        ],
      ],
      { titles: [], dates: ["2016-11-20"] },
    );
    expect(record.title).toBe("Communiqué on the regional water summit");
    // The date the text states wins over the file's.
    expect(record.date).toBe("2024-04-03");
  });

  it("titles a letter by who wrote it to whom", () => {
    const { record } = recordOfPages(
      [
        [
          line("MINISTRY OF FOREIGN AFFAIRS", 800, 9),
          line("12 June 2023", 760),
          line("Excellency,", 740),
          line("I have the honour to refer to the fisheries talks.", 720),
          line("His Excellency", 120),
          line("Mr. Jan Novak", 105),
          line("Minister of Foreign Affairs", 90),
          line("Republic of Ruritania", 75),
        ],
        [
          line(
            "Please accept, Excellency, the assurances of my highest consideration.",
            700,
          ),
          line("Maria Rossi", 660),
          line("Special Rapporteur on the right to food", 645),
        ],
      ],
      { titles: [], dates: [] },
    );
    expect(record.title).toBe(
      "Letter of the Special Rapporteur on the right to food to Ruritania",
    );
  });
});

describe("a PDF decompression bomb", () => {
  it(
    "is refused from its streams' unpacked size, before pdf.js decodes one",
    {
      timeout: 30_000,
    },
    async () => {
      // 80 MB of zeros pack to some 80 KB: over the 64 MB a file this small may unpack to.
      const packed = deflateSync(Buffer.alloc(80 * 1024 * 1024));
      const bomb = Buffer.concat([
        Buffer.from(
          `%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n3 0 obj\n<< /Length ${packed.length} /Filter /FlateDecode >>\nstream\n`,
        ),
        packed,
        Buffer.from("\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"),
      ]);
      await expect(
        parsePdf(new Uint8Array(bomb), "bomb.pdf", noOcr),
      ).rejects.toThrow(
        /^a decompression bomb: its \d+\.\d KiB would unpack to more than 64\.0 MiB$/,
      );
      // A PDF whose streams unpack within bounds is read as before.
      const { records } = await parsePdf(bytes("text.pdf"), "text.pdf", noOcr);
      expect(records).toHaveLength(1);
    },
  );
});

describe("scans skipped for want of OCR", () => {
  it("are read again once the OCR they waited for is there, and only then", async () => {
    const problems = [
      { file: "scan.pdf", awaitsOcr: [] },
      { file: "greek.pdf", awaitsOcr: ["no_such_language"] },
      { file: "english.pdf", awaitsOcr: ["eng"] },
      { file: "damaged.pdf" },
    ];
    // Turned off (`--ocr-languages none`), nothing is waited for in vain.
    expect(await filesAwaitingOcr(problems, [])).toEqual(new Set());
    expect(await filesAwaitingOcr(problems, ["eng"])).toEqual(
      english ? new Set(["scan.pdf", "english.pdf"]) : new Set(),
    );
  });

  it.runIf(english)(
    "a start after Tesseract came reads the image an earlier start skipped",
    { timeout: 60_000 },
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), "readout-ocr-later-"));
      try {
        const data = path.join(dir, "data");
        await mkdir(data);
        await writeFile(
          path.join(data, "a.jsonl"),
          JSON.stringify({ id: "a", title: "Notes", body: "Text as text." }),
        );
        await writeFile(path.join(data, "page.png"), bytes("page.png"));
        const open = async (ocrLanguages?: string[]) => {
          const library = new Library({
            dataDir: data,
            cacheDir: path.join(dir, "cache"),
            ...(ocrLanguages ? { ocrLanguages } : {}),
          });
          await library.open();
          await library.close();
          return library;
        };
        // The first start cannot read it (as without Tesseract) and says so.
        const before = await open([]);
        expect(before.corpus!.index.size).toBe(1);
        expect(before.problems).toEqual([
          expect.objectContaining({ file: "page.png", awaitsOcr: [] }),
        ]);
        const after = await open();
        expect(after.origin).toMatch(/1 changed/);
        expect(after.corpus!.index.size).toBe(2);
        expect(after.problems).toEqual([]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
