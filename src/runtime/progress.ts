/**
 * A one-line progress display: a bar, the count, the rate and the time left when the total is
 * known. On a terminal it redraws in place; in a log it writes a line every few seconds.
 */
export function progressLine(
  stream: { write(text: string): unknown; isTTY?: boolean },
  label: string,
) {
  const started = performance.now();
  let lastLog = started;
  let shown = false;
  return {
    update(done: number, total?: number, detail = "") {
      const now = performance.now();
      const seconds = (now - started) / 1000;
      const rate = seconds > 0.5 ? done / seconds : 0;
      const parts = [
        `${label} ${done.toLocaleString("en")}${total ? ` of ${total.toLocaleString("en")}` : ""} statements`,
      ];
      if (detail) parts.push(detail);
      if (rate) parts.push(`${Math.round(rate).toLocaleString("en")}/s`);
      if (rate && total && total > done)
        parts.push(`${Math.ceil((total - done) / rate)} s left`);
      const text = parts.join(", ");
      if (stream.isTTY) {
        const bar = total
          ? `[${"#".repeat(Math.round((done / total) * 20)).padEnd(20, "-")}] `
          : "";
        stream.write(`\r${bar}${text}\u001b[K`);
        shown = true;
      } else if (now - lastLog > 2000) {
        stream.write(`${text}\n`);
        lastLog = now;
      }
    },
    done() {
      if (shown) stream.write("\r\u001b[K");
      shown = false;
    },
  };
}
