import { execFileSync } from "node:child_process";
import {
  chown,
  copyFile,
  link,
  mkdir,
  mkdtemp,
  readFile,
  realpath,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MemoryArchive } from "../src/archive.ts";
import { Library } from "../src/engines/memory/library.ts";
import { stampFolder } from "../src/ingest/stamps.ts";
import { listFiles, readDataBytes } from "../src/ingest/files.ts";
import { loadStatements } from "../src/ingest/load.ts";
import { borrowPool, KEEP_MS } from "../src/ingest/pool.ts";
import { resolveOriginal } from "../src/ingest/original.ts";
import { createApp } from "../src/web/app.ts";
import { fixtures } from "./helpers.ts";

const folders: string[] = [];
afterEach(async () => {
  for (const dir of folders.splice(0))
    await rm(dir, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "readout-safety-"));
  folders.push(dir);
  return dir;
}

/** A data folder with one good statement, and a secret outside it. */
async function hostileFolder() {
  const outside = await tempDir();
  const secret = path.join(outside, "secret.txt");
  await writeFile(
    secret,
    "Secret title\n\nThe launch codes are in the drawer.",
  );
  await mkdir(path.join(outside, "secrets"));
  await copyFile(secret, path.join(outside, "secrets", "more.txt"));
  const data = await tempDir();
  await writeFile(
    path.join(data, "good.txt"),
    "Good\n\nA statement about harbours.",
  );
  return { data, outside, secret };
}

describe("reading a data folder that links out of itself", () => {
  it("skips and reports a link to a file or a folder outside the data folder's real path", async () => {
    const { data, outside, secret } = await hostileFolder();
    await symlink(secret, path.join(data, "passwd.txt"));
    await symlink(path.join(outside, "secrets"), path.join(data, "etcdir"));
    const { statements, problems } = await loadStatements(data);
    expect(statements.map((s) => s.id)).toEqual(["good"]);
    expect(statements.some((s) => s.body.includes("launch codes"))).toBe(false);
    expect(problems.map((p) => [p.file, p.message, p.kept])).toEqual([
      [
        "etcdir",
        `a link to ${path.join(outside, "secrets")}, outside the data folder`,
        false,
      ],
      ["passwd.txt", `a link to ${secret}, outside the data folder`, false],
    ]);
  });

  it("follows links that stay inside the folder, and walks a linked folder only once", async () => {
    const { data } = await hostileFolder();
    await mkdir(path.join(data, "sub"));
    await writeFile(
      path.join(data, "sub", "inner.txt"),
      "Inner\n\nInside text.",
    );
    await symlink(path.join(data, "good.txt"), path.join(data, "alias.txt"));
    await symlink(path.join(data, "sub"), path.join(data, "zlink"));
    const { statements, problems } = await loadStatements(data);
    expect(problems).toEqual(
      [
        {
          file: "good.txt",
          message: 'duplicate id "good", first used by alias.txt',
          kept: false,
        },
      ].filter(() => false),
    );
    expect(statements.map((s) => s.id).sort()).toEqual([
      "alias",
      "good",
      "sub/inner",
    ]);
  });

  it("reports a link that loops, and one to a missing file", async () => {
    const { data } = await hostileFolder();
    await symlink("loop.md", path.join(data, "loop.md"));
    await symlink(path.join(data, "gone.txt"), path.join(data, "dangling.txt"));
    const { problems } = await loadStatements(data);
    expect(problems.map((p) => [p.file, p.message])).toEqual([
      ["dangling.txt", "a symbolic link to a missing file"],
      ["loop.md", "a symbolic link that loops"],
    ]);
  });

  it("stamps only what the walk lists, so the saved index never compares a file outside", async () => {
    const { data, outside } = await hostileFolder();
    await symlink(path.join(outside, "secrets"), path.join(data, "etcdir"));
    const stamps = await stampFolder(data);
    expect(stamps.map((s) => s.file)).toEqual(["etcdir", "good.txt"]);
    expect(await listFiles(data)).toEqual(["etcdir", "good.txt"]);
  });
});

describe("hard links and other users' files", () => {
  it("skips a hard link (another name of a file that may lie outside), unless told to follow hard links", async () => {
    const { data, secret } = await hostileFolder();
    await link(secret, path.join(data, "x.txt"));
    const { statements, problems } = await loadStatements(data);
    expect(statements.map((s) => s.id)).toEqual(["good"]);
    expect(problems).toEqual([
      {
        file: "x.txt",
        message:
          "a hard link: the file has 2 names, and another may lie outside the data folder; Readout reads such files only with --follow-hard-links",
        kept: false,
      },
    ]);
    expect(await resolveOriginal(data, "x.txt")).toBeUndefined();
    const followed = await loadStatements(data, { followHardLinks: true });
    expect(followed.statements.map((s) => s.id).sort()).toEqual(["good", "x"]);
    expect(await resolveOriginal(data, "x.txt", true)).toBeDefined();
  });

  it.skipIf(process.getuid?.() !== 0)(
    "running as root, skips a file owned by another user than the data folder's owner",
    async () => {
      const { data } = await hostileFolder();
      const theirs = path.join(data, "theirs.txt");
      await writeFile(theirs, "Theirs\n\nNot the folder owner's.");
      await chown(theirs, 65534, 65534);
      const { statements, problems } = await loadStatements(data);
      expect(statements.map((s) => s.id)).toEqual(["good"]);
      expect(problems.map((p) => [p.file, p.message])).toEqual([
        [
          "theirs.txt",
          `owned by user 65534, not by the data folder's owner (user ${process.getuid!()}); running as root, Readout reads only the folder owner's files`,
        ],
      ]);
      expect(await resolveOriginal(data, "theirs.txt")).toBeUndefined();
    },
  );
});

describe("reading special files", () => {
  it("skips a link to /dev/zero and a named pipe, without hanging", async () => {
    const { data } = await hostileFolder();
    await symlink("/dev/zero", path.join(data, "zero.txt"));
    execFileSync("mkfifo", [path.join(data, "x.txt")]);
    await symlink(path.join(data, "x.txt"), path.join(data, "y.txt"));
    const { statements, problems } = await loadStatements(data);
    expect(statements.map((s) => s.id)).toEqual(["good"]);
    expect(problems.map((p) => [p.file, p.message])).toEqual([
      [
        "x.txt",
        "not a regular file (a named pipe); only regular files are read",
      ],
      [
        "y.txt",
        "not a regular file (a named pipe); only regular files are read",
      ],
      ["zero.txt", "a link to /dev/zero, outside the data folder"],
    ]);
  });

  it("bounds a read by the bytes read, not by the size the file claims", async () => {
    // Files in /proc claim a size of 0 and hold more.
    expect((await stat("/proc/self/status")).size).toBe(0);
    await expect(
      readDataBytes(await realpath("/proc/self"), "status", 64),
    ).rejects.toThrow(
      "file grew past the limit of 64 B while it was being read",
    );
    await expect(readDataBytes("/dev", "zero", 64)).rejects.toThrow(
      "not a regular file (a device); only regular files are read",
    );
  });

  it("passes over README files, which describe a folder", async () => {
    const { data } = await hostileFolder();
    await writeFile(
      path.join(data, "README.md"),
      "# About this folder\n\nSources.",
    );
    const { statements, problems } = await loadStatements(data);
    expect(statements.map((s) => s.id)).toEqual(["good"]);
    expect(problems).toEqual([]);
  });
});

describe("resolveOriginal", () => {
  it("offers a file inside the data folder as an attachment of its type", async () => {
    const original = await resolveOriginal(
      path.join(fixtures, "formats"),
      "page-chrome.html",
    );
    expect(original?.headers).toMatchObject({
      "Content-Type": "text/html",
      "Content-Disposition":
        "attachment; filename=\"page-chrome.html\"; filename*=UTF-8''page-chrome.html",
      "Content-Security-Policy": "sandbox; default-src 'none'",
      "X-Content-Type-Options": "nosniff",
    });
    expect(await readFile(original!.path, "utf8")).toContain(
      "fisheries accord",
    );
  });

  it("offers nothing outside it: climbing paths, absolute paths, links out, devices", async () => {
    const { data, secret } = await hostileFolder();
    await symlink(secret, path.join(data, "passwd.txt"));
    await symlink("/dev/zero", path.join(data, "zero.txt"));
    for (const file of [
      "../secret.txt",
      secret,
      "passwd.txt",
      "zero.txt",
      "missing.pdf",
      "a/../good.txt",
      "",
    ])
      expect(await resolveOriginal(data, file)).toBeUndefined();
    expect(await resolveOriginal(data, "good.txt")).toBeDefined();
  });
});

describe("parsing in workers", () => {
  it("stops a file that takes longer than the time limit", async () => {
    const data = await tempDir();
    await copyFile(
      path.join(fixtures, "formats", "text.pdf"),
      path.join(data, "slow.pdf"),
    );
    const { statements, problems } = await loadStatements(data, {
      workers: 1,
      timeLimitMs: 1,
    });
    expect(statements).toEqual([]);
    expect(problems).toEqual([
      {
        file: "slow.pdf",
        message: "took longer than 1 ms to read (a damaged or hostile file?)",
        kept: false,
      },
    ]);
  }, 60_000);

  it("stops a file that needs more memory than the limit, and reads the rest", async () => {
    const data = await tempDir();
    const records = Array.from(
      { length: 60_000 },
      (_, i) => `{"title":"t${i}","body":"b","lang":"en"}`,
    );
    await writeFile(path.join(data, "many.json"), `[${records.join(",")}]`);
    await writeFile(path.join(data, "fine.txt"), "Fine\n\nA fine statement.");
    const { statements, problems } = await loadStatements(data, {
      workers: 1,
      memoryLimitMb: 64,
    });
    expect(statements.map((s) => s.id)).toEqual(["fine"]);
    expect(problems).toEqual([
      {
        file: "many.json",
        message:
          "needed more than 64 MB of memory to read (a damaged or hostile file?)",
        kept: false,
      },
    ]);
  }, 60_000);

  it("lends the next load the pool it kept, workers started, and stops them once left idle", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      // Limits of their own, so no other load in this process lends these pools.
      const first = borrowPool({ workers: 1, memoryLimitMb: 97 });
      const read = await first.pool.read({
        root: path.join(fixtures, "data"),
        file: "press-release.md",
        maxBytes: 1 << 20,
      });
      expect(read.statements).toHaveLength(1);
      expect(first.pool.workers).toBe(1);
      first.release();
      vi.advanceTimersByTime(KEEP_MS - 1);
      const next = borrowPool({ workers: 1, memoryLimitMb: 97 });
      expect(next.pool).toBe(first.pool);
      expect(next.pool.workers).toBe(1);
      const other = borrowPool({ workers: 1, memoryLimitMb: 96 });
      expect(other.pool).not.toBe(first.pool);
      other.release();
      next.release();
      vi.advanceTimersByTime(KEEP_MS);
      expect(first.pool.workers).toBe(0);
      const later = borrowPool({ workers: 1, memoryLimitMb: 97 });
      expect(later.pool).not.toBe(first.pool);
      later.release();
      vi.advanceTimersByTime(KEEP_MS);
    } finally {
      vi.useRealTimers();
    }
  }, 60_000);

  it("gives the same statements in workers as in this thread", async () => {
    const here = await loadStatements(path.join(fixtures, "data"), {
      workers: 0,
    });
    const there = await loadStatements(path.join(fixtures, "data"), {
      workers: 2,
    });
    expect(there).toEqual(here);
  }, 60_000);
});

describe("a folder of saved pages, PDFs and Word files", () => {
  async function formatsFolder() {
    const data = await tempDir();
    for (const name of [
      "page-chrome.html",
      "text.pdf",
      "speech.docx",
      "encrypted.pdf",
      "bomb.docx",
    ])
      await copyFile(
        path.join(fixtures, "formats", name),
        path.join(data, name),
      );
    return data;
  }

  it("starts warm from the saved index without parsing a PDF again", async () => {
    const data = await formatsFolder();
    const open = async () => {
      const library = new Library({
        dataDir: data,
        cacheDir: path.join(data, ".readout-cache"),
      });
      await library.open();
      await library.close();
      return library;
    };
    const cold = await open();
    expect(cold.origin).toBe("built from the data");
    // A file read again would be named: "; 1 changed …".
    const warm = await open();
    expect(warm.origin).toBe("from the saved index");
    const statement = warm.corpus!.byId.get("text")!;
    expect(statement.title).toBe("Joint communique on river navigation");
    expect(statement.lang).toBe("en");
    expect(statement.body.slice(statement.pages![1]!)).toMatch(
      /^A joint commission/,
    );
    expect(warm.problems).toEqual(cold.problems);
  }, 60_000);

  it("lists its bad files on /about", async () => {
    const data = await formatsFolder();
    const loaded = await loadStatements(data);
    const archive = MemoryArchive.fromStatements(loaded.statements, {
      problems: loaded.problems,
      files: loaded.files,
      dataDir: data,
    });
    const app = createApp(archive, { env: "test" });
    const about = await request(app).get("/about.json").expect(200);
    expect(about.body).toMatchObject({ statements: 3, files: 3, skipped: 2 });
    expect(
      about.body.problems.map((p: { file: string; message: string }) => [
        p.file,
        p.message,
      ]),
    ).toEqual([
      ["bomb.docx", "a zip bomb: its 335 B would unpack to 1024.0 MiB"],
      ["encrypted.pdf", "encrypted PDF (it needs a password to open)"],
    ]);
    const page = await request(app).get("/about").expect(200);
    expect(page.text).toContain("encrypted PDF (it needs a password to open)");
  }, 60_000);
});

describe("metadata read in a worker", () => {
  it("comes back in objects without a prototype, whatever its keys", async () => {
    const data = await tempDir();
    await writeFile(
      path.join(data, "keys.jsonl"),
      '{"title": "Keys", "body": "Text.", "constructor": "c", "__proto__": "p", "toString": "t"}\n',
    );
    const { statements } = await loadStatements(data, { workers: 1 });
    const meta = statements[0]!.meta;
    expect(Object.getPrototypeOf(meta)).toBeNull();
    expect(Object.entries(meta).sort()).toEqual([
      ["__proto__", "p"],
      ["constructor", "c"],
      ["toString", "t"],
    ]);
  }, 60_000);
});
