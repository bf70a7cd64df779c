/**
 * Images of pages (.png, .jpg, .tif): read by OCR (`ocr.ts`), one statement per file, a
 * multi-page TIFF page by page. The image's size is read from its header first: an image
 * that would unpack to more pixels than a page scanned at 600 dpi is a bomb, not a page.
 */
import {
  FormatError,
  OcrUnavailable,
  type ParseContext,
  type Parsed,
} from "./format-contract.ts";
import { OCR_INSTALL, recognize, type OcrPage } from "./ocr.ts";
import { ocrLines, recordOfPages } from "./pdf.ts";

/** More pixels than an A3 page at 600 dpi (7,000 × 9,900) are refused before decoding. */
export const MAX_PIXELS = 70_000_000;

/** Reads an image of a page (or pages) by OCR into one statement. */
export async function parseImage(
  bytes: Uint8Array,
  _file: string,
  context: ParseContext,
): Promise<Parsed> {
  const size = imageSize(bytes);
  if (!size)
    throw new FormatError(
      "not an image Readout can read (it reads PNG, JPEG and TIFF)",
    );
  if (size.width * size.height > MAX_PIXELS)
    throw new FormatError(
      `an image of ${size.width} × ${size.height} pixels, over the limit of ${MAX_PIXELS / 1e6} million (a decompression bomb?)`,
    );
  const ocr = await context.ocr();
  if (!ocr)
    throw new OcrUnavailable(
      `an image of a page: Readout reads it by OCR once Tesseract is installed: ${OCR_INSTALL}`,
    );
  let pages: OcrPage[];
  pages = await recognize(bytes, { languages: ocr.languages });
  for (let i = 0; i < pages.length; i++) context.ocrPage();
  pages = pages.filter((p) => p.words > 0);
  if (pages.length === 0)
    throw new FormatError("no text found in the image by OCR");
  const found = recordOfPages(pages.map(ocrLines), { titles: [], dates: [] });
  const words = pages.reduce((sum, p) => sum + p.words, 0);
  const confidence = pages.reduce((sum, p) => sum + p.confidence, 0);
  const what = pages.length === 1 ? "" : `${pages.length} pages, `;
  found.record.ocr = `${what}Tesseract ${ocr.languages.join("+")}, mean confidence ${Math.round(confidence / words)}%`;
  return {
    records: [found],
    problems: ocr.missing.length
      ? [
          {
            message: `OCR languages not installed: ${ocr.missing.join(", ")}`,
            kept: true,
            awaitsOcr: ocr.missing,
          },
        ]
      : [],
  };
}

/**
 * Width and height from the header of a PNG (IHDR), a JPEG (the first start-of-frame
 * marker) or a TIFF (the first image's tags), or undefined for anything else.
 */
export function imageSize(
  bytes: Uint8Array,
): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = (i: number, n: number) => i + n <= bytes.length;
  // PNG: signature, then IHDR with width and height.
  if (at(0, 24) && view.getUint32(0) === 0x89504e47)
    return { width: view.getUint32(16), height: view.getUint32(20) };
  // JPEG: walk the markers to the first SOFn.
  if (at(0, 4) && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let i = 2;
    while (at(i, 9) && bytes[i] === 0xff) {
      const marker = bytes[i + 1]!;
      const length = view.getUint16(i + 2);
      if (
        marker >= 0xc0 &&
        marker <= 0xcf &&
        ![0xc4, 0xc8, 0xcc].includes(marker)
      )
        return { height: view.getUint16(i + 5), width: view.getUint16(i + 7) };
      i += 2 + length;
    }
    return undefined;
  }
  // TIFF: byte order, 42, the first directory's ImageWidth (256) and ImageLength (257).
  if (at(0, 8)) {
    const little = bytes[0] === 0x49 && bytes[1] === 0x49;
    const big = bytes[0] === 0x4d && bytes[1] === 0x4d;
    if ((little || big) && view.getUint16(2, little) === 42) {
      const dir = view.getUint32(4, little);
      if (!at(dir, 2)) return undefined;
      const count = view.getUint16(dir, little);
      let width = 0;
      let height = 0;
      for (let k = 0; k < count && at(dir + 2 + k * 12, 12); k++) {
        const entry = dir + 2 + k * 12;
        const tag = view.getUint16(entry, little);
        const type = view.getUint16(entry + 2, little);
        const value =
          type === 3
            ? view.getUint16(entry + 8, little)
            : view.getUint32(entry + 8, little);
        if (tag === 256) width = value;
        if (tag === 257) height = value;
      }
      return width && height ? { width, height } : undefined;
    }
  }
  return undefined;
}
