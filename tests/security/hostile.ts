/**
 * The hostile archive: every payload in every field of every format. The files under
 * tests/fixtures/hostile/ are generated from payloads.ts, so the list stays in one place;
 * `hostile.test.ts` checks they are current. Regenerate with
 *
 *   npx tsx tests/security/hostile.ts
 */
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildCorpus, type Corpus } from "../../src/engines/memory/corpus.ts";
import { loadStatements, type LoadResult } from "../../src/ingest/load.ts";
import { MemoryArchive, type Archive } from "../../src/archive.ts";
import { createApp, type AppOptions } from "../../src/web/app.ts";
import { fixtures } from "../helpers.ts";
import { hasNul, marker, payloads } from "./payloads.ts";

export const hostileDir = path.join(fixtures, "hostile");

const pad = (n: number) => String(n).padStart(2, "0");
const dateOf = (i: number) =>
  `${2000 + (i % 25)}-${pad(1 + (i % 12))}-${pad(1 + (i % 28))}`;

/** The body every format gives payload `i`: alone, mid-sentence and glued to matched words. */
export function hostileBody(i: number): string {
  const m = marker(i);
  const p = payloads[i]!.text;
  return [
    `${m} opens this statement.`,
    p,
    `The payload again, mid-sentence: before ${p} after.`,
    `Glued to words that a search marks: script${p}alert onerror${p}svg ${m}.`,
  ].join("\n\n");
}

/** The fixture files, path → content, as generated from the payload list. */
export function hostileFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const records: string[] = [];
  const problems: string[] = [];
  payloads.forEach(({ text: p }, i) => {
    const m = marker(i);
    records.push(
      JSON.stringify({
        id: `${m}-jsonl`,
        title: `${m} ${p}`,
        date: dateOf(i),
        source: p,
        url: p,
        body: hostileBody(i),
        kind: p,
        [p]: `${m} ${p}`,
      }),
    );
    // Each of these lines is reported on the about page, naming the payload.
    problems.push(
      JSON.stringify({
        id: p,
        title: `${m} has the payload as its id and date`,
        date: p,
        body: `${m} is reached through a hostile id.`,
      }),
      JSON.stringify({ id: p, title: "duplicate", body: "duplicate" }),
    );
    if (!hasNul(payloads[i]!)) problems.push(p);
  });
  files.set("records.jsonl", records.join("\n") + "\n");
  files.set("problems.jsonl", problems.join("\n") + "\n");

  payloads.forEach((payload, i) => {
    const m = marker(i);
    const p = payload.text;
    const n = String(i + 1).padStart(3, "0");
    // JSON strings are YAML double-quoted scalars, so any payload survives the front matter.
    const front = [
      ["title", `${m} ${p}`],
      ["date", dateOf(i)],
      ["source", p],
      ["url", p],
      ["kind", p],
      [p, `${m} ${p}`],
    ]
      .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
      .join("\n");
    const body = hasNul(payload)
      ? `${m} carries its payload in the front matter only.`
      : [
          `${m} in Markdown: [a link](javascript:alert(1)) and ![an image](x "onerror=alert(1)").`,
          "```\n" + p + "\n```",
          `Inline code: \`${p.replace(/`/g, "")}\``,
        ].join("\n\n");
    files.set(`markdown/${n}.md`, `---\n${front}\n---\n\n${body}\n`);
    if (!hasNul(payload)) {
      files.set(`txt/${n}.txt`, `${m} ${p}\n\n# ${p}\n\n${hostileBody(i)}\n`);
    }
  });
  return files;
}

/**
 * File and folder names with payloads cannot be committed portably (Windows refuses `<>:"|?*`),
 * so they are added to a temporary copy of the fixtures: a folder named by a payload gives its
 * .txt files that payload as their source, and an unreadable file is reported by its name.
 */
async function addHostileNames(dir: string): Promise<void> {
  for (const [i, payload] of payloads.entries()) {
    const name = payload.text.trim();
    if (/[/\u0000]/.test(name) || name === "" || /^\.+$/.test(name)) continue;
    const folder = path.join(dir, "named", name);
    await mkdir(folder, { recursive: true });
    await writeFile(
      path.join(folder, "statement.txt"),
      `${marker(i)} from a hostile folder\n\n${marker(i)} takes its source from the folder name.\n`,
    );
    await writeFile(path.join(dir, "named", `${name}.pdf`), "%PDF-1.4\n");
  }
}

let loaded:
  | Promise<{
      result: LoadResult;
      corpus: Corpus;
      archive: Archive;
      cleanup: () => Promise<void>;
    }>
  | undefined;

/** The hostile fixtures (and hostile names), read and indexed once per test file. */
export function hostileLoad() {
  loaded ??= (async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "readout-hostile-"));
    await cp(hostileDir, dir, { recursive: true });
    await addHostileNames(dir);
    const result = await loadStatements(dir);
    const corpus = buildCorpus(result.statements);
    const archive = MemoryArchive.fromStatements(result.statements, {
      problems: result.problems,
      files: result.files,
      dataDir: dir,
    });
    return {
      result,
      corpus,
      archive,
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  })();
  return loaded;
}

/** The real app over the hostile archive. */
export async function hostileApp(options: AppOptions = { env: "test" }) {
  return createApp((await hostileLoad()).archive, options);
}

/** Writes the generated fixtures, replacing what was there. */
async function writeFixtures(): Promise<void> {
  await rm(hostileDir, { recursive: true, force: true });
  for (const [file, content] of hostileFiles()) {
    await mkdir(path.dirname(path.join(hostileDir, file)), { recursive: true });
    await writeFile(path.join(hostileDir, file), content);
  }
  const count = (await readdir(hostileDir, { recursive: true })).length;
  console.log(`wrote ${count} entries to ${hostileDir}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await writeFixtures();
}
