/** Writes a one-line progress display to a terminal, or a line every few seconds to a log. */
export function progressLine(stream: NodeJS.WriteStream, label: string) {
  const started = performance.now();
  let lastLog = started;
  let shown = false;
  return {
    update(done: number, detail = "") {
      const now = performance.now();
      const seconds = (now - started) / 1000;
      const rate = seconds > 0 ? Math.round(done / seconds) : 0;
      const line = `${label} ${done.toLocaleString("en")} statements${detail ? `, ${detail}` : ""} (${rate.toLocaleString("en")}/s)`;
      if (stream.isTTY) {
        stream.write(`\r${line}\u001b[K`);
        shown = true;
      } else if (now - lastLog > 2000) {
        stream.write(`${line}\n`);
        lastLog = now;
      }
    },
    done() {
      if (shown) stream.write("\r\u001b[K");
    },
  };
}
