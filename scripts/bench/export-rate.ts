/** How fast a server streams a CSV export, read over HTTP as a client reads it (issue 22). */

export interface ExportFigures {
  rows: number;
  seconds: number;
  firstByteMs: number;
  /** Whether the export ended by itself, not at the time bound. */
  complete: boolean;
  status: number;
  peakRss: number;
}

/**
 * Counts the records of CSV text fed in pieces: line ends outside quoted fields (a quoted
 * field may hold a line break; `""` inside one toggles twice and changes nothing).
 */
export function csvRecordCounter() {
  let quoted = false;
  let records = 0;
  return {
    feed(text: string) {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 34) quoted = !quoted;
        else if (c === 10 && !quoted) records++;
      }
    },
    get records() {
      return records;
    },
  };
}

/**
 * GETs `url` and reads its body for at most `seconds`, counting CSV rows (the header line
 * aside) and sampling `rss` (the server's memory) every 250 ms.
 */
export async function measureExport(
  url: string,
  seconds: number,
  rss: () => number,
): Promise<ExportFigures> {
  const controller = new AbortController();
  const counter = csvRecordCounter();
  let peakRss = rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rss())), 250);
  const started = performance.now();
  const timer = setTimeout(() => controller.abort(), seconds * 1000);
  let firstByteMs = NaN;
  let complete = false;
  let status = 0;
  try {
    const res = await fetch(url, { signal: controller.signal });
    status = res.status;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body!) {
        if (Number.isNaN(firstByteMs))
          firstByteMs = performance.now() - started;
        counter.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
      }
      complete = true;
    } catch (err) {
      if (!controller.signal.aborted) throw err;
    }
  } finally {
    clearTimeout(timer);
    clearInterval(sampler);
  }
  return {
    rows: Math.max(0, counter.records - 1),
    seconds: (performance.now() - started) / 1000,
    firstByteMs,
    complete,
    status,
    peakRss,
  };
}
