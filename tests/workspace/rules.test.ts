import { describe, expect, it } from "vitest";
import { risRecord } from "../../src/out/ris.ts";
import {
  addUser,
  hashPassword,
  parseUsers,
  verifyPassword,
} from "../../src/runtime/users.ts";
import { noteHtml } from "../../src/web/note-html.ts";
import { checkNote, checkTags, slugFor } from "../../src/workspace/validate.ts";
import { Workspace } from "../../src/workspace/workspace.ts";
import type { WorkspaceStore } from "../../src/workspace/store.ts";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

describe("noteHtml", () => {
  it("escapes first, then marks up the Markdown a note uses", () => {
    expect(
      noteHtml(
        "Why **it** matters: *see* `<b>` and [the text](https://example.org/a?b=1&c=2).",
      ),
    ).toBe(
      '<p>Why <strong>it</strong> matters: <em>see</em> <code>&lt;b&gt;</code> and <a href="https://example.org/a?b=1&amp;c=2" rel="nofollow noopener noreferrer">the text</a>.</p>',
    );
    expect(
      noteHtml("- one\n- two\n\n1. first\n\n> quoted\n> on\n\n# Heading\nline"),
    ).toBe(
      "<ul><li>one</li><li>two</li></ul>\n<ol><li>first</li></ol>\n<blockquote><p>quoted<br>on</p></blockquote>\n<p><strong>Heading</strong><br>line</p>",
    );
  });

  it("links only web addresses, and never lets a quote end an attribute", () => {
    expect(noteHtml("[x](javascript:alert(1)) [y](data:text/html,z)")).toBe(
      "<p>[x](javascript:alert(1)) [y](data:text/html,z)</p>",
    );
    expect(
      noteHtml('"https://x.org/a" https://x.org/b"onmouseover="alert(1)'),
    ).toBe(
      '<p>&quot;<a href="https://x.org/a" rel="nofollow noopener noreferrer">https://x.org/a</a>&quot; <a href="https://x.org/b" rel="nofollow noopener noreferrer">https://x.org/b</a>&quot;onmouseover=&quot;alert(1)</p>',
    );
  });
});

describe("the workspace's fields", () => {
  it("take tags separated by commas, once each, and refuse what a tag cannot hold", () => {
    expect(checkTags(" EU, ceasefire ,eu,, 2023/24 ")).toEqual([
      "EU",
      "ceasefire",
      "2023/24",
    ]);
    expect(() => checkTags("<b>")).toThrow(/^tags: "<b>" may hold only/);
    expect(() => checkTags("x".repeat(41))).toThrow(
      /^tags: each tag is at most 40 characters/,
    );
  });

  it("take a note of up to 100 KB, its line ends made \\n", () => {
    expect(checkNote("a\r\nb")).toBe("a\nb");
    expect(checkNote("  \n ")).toBe("");
    expect(() => checkNote("x".repeat(102_401))).toThrow(
      "note: at most 100 KB; this one has 101 KB",
    );
    expect(() => checkNote("bell\u0007")).toThrow(
      "note: control characters are not allowed",
    );
  });

  it("make a slug of any script from a name, unique, never a page's own name", () => {
    const taken = new Set(["eu-statements", "add"]);
    expect(slugFor("EU statements", (s) => taken.has(s), "collection")).toBe(
      "eu-statements-2",
    );
    expect(slugFor("Заявления МИД, 2023", () => false, "collection")).toBe(
      "заявления-мид-2023",
    );
    expect(slugFor("Add", () => false, "collection")).toBe("add-2");
    expect(slugFor("!!!", () => false, "collection")).toBe("collection");
  });
});

describe("the workspace's rules", () => {
  // A store that says a collection is full: the limit is checked without 10,000 writes.
  const full: Partial<WorkspaceStore> = {
    collections: async () => [
      {
        slug: "full",
        name: "Full",
        owner: "ann",
        shared: false,
        createdAt: "",
        updatedAt: "",
        count: 10_000,
      },
    ],
    item: async () => undefined,
  };
  const workspace = new Workspace(full as WorkspaceStore, {
    statementsById: async () => [],
    original: async () => undefined,
    readSince: async () => ({ total: 0, statements: [] }),
    fields: () => [],
  });

  it("keep a collection to 10,000 statements", async () => {
    await expect(
      workspace.add({ name: "ann", role: "editor" }, "full", { id: "x" }),
    ).rejects.toThrow(
      "This collection holds 10,000 statements, the most one may hold: start another.",
    );
  });
});

describe("users", () => {
  it("hash a password with scrypt and a salt of its own, and check it", async () => {
    const cost = { ln: 4, r: 8, p: 1 };
    const a = await hashPassword("horse battery", cost);
    const b = await hashPassword("horse battery", cost);
    expect(a).toMatch(
      /^\$scrypt\$ln=4,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
    );
    expect(a).not.toBe(b);
    expect(await verifyPassword("horse battery", a)).toBe(true);
    expect(await verifyPassword("horse batter", a)).toBe(false);
  });

  it("read a users file, naming the line at fault", () => {
    const hash =
      "$scrypt$ln=4,r=8,p=1$c2FsdHNhbHRzYWx0c2E$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGg";
    expect([
      ...parseUsers(
        `# people\nann editor ${hash}\n\nbob reader ${hash}\n`,
        "u",
      ).keys(),
    ]).toEqual(["ann", "bob"]);
    expect(() => parseUsers(`ann admin ${hash}`, "u")).toThrow(
      'users: u:1: the role is editor or reader, got "admin"',
    );
    expect(() => parseUsers(`ann editor secret`, "u")).toThrow(
      "users: u:1: the hash is not a $scrypt$ PHC string",
    );
    expect(() =>
      parseUsers(`ann editor ${hash}\nann reader ${hash}`, "u"),
    ).toThrow('users: u:2: "ann" is listed twice');
  });

  it("add a person to a file readable by its owner only, or change one there", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "readout-users-"));
    try {
      const file = path.join(dir, "users");
      const cost = { ln: 4, r: 8, p: 1 };
      expect(await addUser(file, "ann", "editor", "first password", cost)).toBe(
        true,
      );
      expect(
        await addUser(file, "bob", "reader", "second password", cost),
      ).toBe(true);
      expect(await addUser(file, "ann", "reader", "third password", cost)).toBe(
        false,
      );
      const users = parseUsers(await readFile(file, "utf8"), file);
      expect([...users.values()].map((u) => [u.name, u.role])).toEqual([
        ["ann", "reader"],
        ["bob", "reader"],
      ]);
      expect(
        await verifyPassword("third password", users.get("ann")!.hash),
      ).toBe(true);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("risRecord", () => {
  it("writes a record per statement, its fields one to a line, ending in ER", () => {
    expect(
      risRecord(
        {
          id: "a/1",
          title: "Two\nlines",
          date: "2023-09-07",
          source: "Ministry",
          url: "https://example.org/x",
        },
        "http://127.0.0.1:3000/statements/a/1",
        "2025-01-02",
        { note: "Kept\nfor later", tags: ["EU"] },
      ),
    ).toBe(
      [
        "TY  - GEN",
        "ID  - a-1-773232ab",
        "TI  - Two lines",
        "AU  - Ministry",
        "PY  - 2023",
        "DA  - 2023/09/07/",
        "UR  - https://example.org/x",
        "Y2  - 2025/01/02",
        "DB  - Readout",
        "N1  - Readout permalink: http://127.0.0.1:3000/statements/a/1; accessed 2025-01-02",
        "N1  - Kept for later",
        "KW  - EU",
        "ER  - ",
        "",
      ].join("\r\n"),
    );
  });
});
