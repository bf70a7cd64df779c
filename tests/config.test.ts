import path from "node:path";
import { describe, expect, it } from "vitest";
import { defaults, loadConfig, splitCommand } from "../src/runtime/config.ts";

describe("loadConfig", () => {
  it("uses the defaults when nothing is set", () => {
    expect(loadConfig([], {})).toEqual({ ...defaults, help: false });
    expect(defaults).toMatchObject({
      port: 3000,
      host: "127.0.0.1",
      strict: false,
    });
    expect(path.basename(defaults.data)).toBe("data");
  });

  it("reads environment variables, and flags over them", () => {
    const env = {
      READOUT_DATA: "/srv/a",
      READOUT_PORT: "4000",
      READOUT_HOST: "0.0.0.0",
      READOUT_STRICT: "1",
    };
    expect(loadConfig([], env)).toMatchObject({
      data: "/srv/a",
      port: 4000,
      host: "0.0.0.0",
      strict: true,
    });
    expect(
      loadConfig(["--data", "/srv/b", "--port=5000", "--host", "::1"], env),
    ).toMatchObject({
      data: "/srv/b",
      port: 5000,
      host: "::1",
    });
  });

  it("names the option and the value when a value is bad", () => {
    expect(() => loadConfig(["--port", "abc"], {})).toThrow(
      'config: --port must be a whole number from 0 to 65535, got "abc"',
    );
    expect(() => loadConfig([], { READOUT_PORT: "70000" })).toThrow(
      'config: READOUT_PORT must be a whole number from 0 to 65535, got "70000"',
    );
    expect(() => loadConfig(["--host", "a host"], {})).toThrow(
      'config: --host must be a host name or IP address, got "a host"',
    );
    expect(() => loadConfig([], { READOUT_STRICT: "maybe" })).toThrow(
      'config: READOUT_STRICT must be 1 or 0, got "maybe"',
    );
  });

  it("takes the public address (--public-url, READOUT_PUBLIC_URL) as an origin", () => {
    expect(loadConfig([], {}).publicUrl).toBeUndefined();
    expect(
      loadConfig(["--public-url", "https://Archive.example.org/"], {})
        .publicUrl,
    ).toBe("https://archive.example.org");
    expect(
      loadConfig([], { READOUT_PUBLIC_URL: "http://10.0.0.5:8080" }).publicUrl,
    ).toBe("http://10.0.0.5:8080");
    for (const bad of [
      "archive.example.org",
      "ftp://archive.example.org",
      "https://archive.example.org/readout",
      "https://user:pw@archive.example.org",
      "https://archive.example.org/?q=x",
    ])
      expect(() => loadConfig(["--public-url", bad], {})).toThrow(
        `config: --public-url must be an http:// or https:// address without a path, such as https://archive.example.org, got "${bad}"`,
      );
    expect(() =>
      loadConfig(["--public-url", "https://a.example"], {}, "check"),
    ).toThrow("config: --public-url is not an option of check");
  });

  it("reads names by default, and without them when told", () => {
    expect(loadConfig([], {}).entities).toBe(true);
    expect(loadConfig(["--no-entities"], {}).entities).toBe(false);
    expect(loadConfig([], { READOUT_ENTITIES: "0" }).entities).toBe(false);
    expect(loadConfig(["--entities"], { READOUT_ENTITIES: "0" }).entities).toBe(
      true,
    );
    const pg = ["--pg", "postgres://127.0.0.1/x"];
    expect(loadConfig([...pg, "--no-entities"], {}, "import").entities).toBe(
      false,
    );
    expect(loadConfig(pg, { READOUT_ENTITIES: "0" }, "import").entities).toBe(
      false,
    );
    expect(loadConfig(pg, {}, "import").entities).toBe(true);
  });

  it("keeps earlier texts only where there is a cache folder to keep them in", () => {
    expect(loadConfig(["--history"], {}).history).toBe(true);
    expect(loadConfig([], { READOUT_HISTORY: "1" }).history).toBe(true);
    expect(loadConfig([], {}).history).toBe(false);
    expect(() => loadConfig(["--history", "--no-cache"], {})).toThrow(
      "config: --history keeps earlier texts in the cache folder; it cannot be used with --no-cache",
    );
    expect(() =>
      loadConfig(["--history", "--pg", "postgres://127.0.0.1/x"], {}),
    ).toThrow(
      "config: --history keeps earlier texts in the cache folder of the in-memory engine; it does not work with --pg",
    );
  });

  it("reads hard links only when asked (--follow-hard-links)", () => {
    expect(loadConfig([], {}).followHardLinks).toBe(false);
    expect(loadConfig(["--follow-hard-links"], {}).followHardLinks).toBe(true);
    expect(
      loadConfig([], { READOUT_FOLLOW_HARD_LINKS: "1" }).followHardLinks,
    ).toBe(true);
    expect(
      loadConfig(["--follow-hard-links"], {}, "check").followHardLinks,
    ).toBe(true);
    expect(() =>
      loadConfig([], { READOUT_FOLLOW_HARD_LINKS: "perhaps" }),
    ).toThrow(
      'config: READOUT_FOLLOW_HARD_LINKS must be 1 or 0, got "perhaps"',
    );
  });

  it("takes what else a word finds for search (--words), naming a bad choice", () => {
    expect(loadConfig(["--words", "exact", "lavrov"], {}, "search").words).toBe(
      "exact",
    );
    expect(loadConfig(["lavrov"], {}, "search").words).toBe("variants");
    expect(() =>
      loadConfig(["--words", "loose", "lavrov"], {}, "search"),
    ).toThrow(/--words/);
  });

  it("refuses unknown options", () => {
    expect(() => loadConfig(["--colour"], {})).toThrow(
      /config: Unknown option '--colour'/,
    );
  });
});

describe("splitCommand", () => {
  it("serves when no command is named, as npm start always did", () => {
    expect(splitCommand([])).toEqual({
      command: "serve",
      named: false,
      args: [],
    });
    expect(splitCommand(["--port", "1"])).toEqual({
      command: "serve",
      named: false,
      args: ["--port", "1"],
    });
  });

  it("splits off a named command", () => {
    expect(splitCommand(["search", "a", "--json"])).toEqual({
      command: "search",
      named: true,
      args: ["a", "--json"],
    });
  });

  it("refuses an unknown command", () => {
    expect(() => splitCommand(["serach"])).toThrow(
      'config: unknown command "serach"; choose serve, search, check, import, pg, user or saved (see readout --help)',
    );
  });
});

describe("loadConfig for search and check", () => {
  it("reads the query from the arguments and the search options from flags", () => {
    expect(
      loadConfig(
        ["joint", "statement", "--limit", "5", "--csv", "--mode", "any"],
        {},
        "search",
      ),
    ).toMatchObject({
      query: "joint statement",
      limit: 5,
      format: "csv",
      mode: "any",
      sort: "relevance",
    });
    expect(
      loadConfig(
        [
          "x",
          "--json",
          "--sort=newest",
          "--from",
          "7 September 2023",
          "--to",
          "2024",
        ],
        {},
        "search",
      ),
    ).toMatchObject({
      format: "json",
      sort: "newest",
      from: "2023-09-07",
      to: "2024",
    });
  });

  it("searches by dates alone, but not with nothing at all", () => {
    expect(loadConfig(["--from", "2024"], {}, "search")).toMatchObject({
      query: "",
      from: "2024",
    });
    expect(() => loadConfig([], {}, "search")).toThrow(
      'config: search needs a query, e.g. readout search "joint statement" (see readout search --help)',
    );
  });

  it("names the option and the value when a search option is bad", () => {
    const cases: [string[], string][] = [
      [
        ["--limit", "x"],
        'config: --limit must be a whole number from 1 to 10000, got "x"',
      ],
      [
        ["--limit", "0"],
        'config: --limit must be a whole number from 1 to 10000, got "0"',
      ],
      [
        ["--limit", "10001"],
        'config: --limit must be a whole number from 1 to 10000, got "10001"',
      ],
      [["--mode", "some"], 'config: --mode must be all or any, got "some"'],
      [
        ["--sort", "sideways"],
        'config: --sort must be relevance, newest or oldest, got "sideways"',
      ],
      [
        ["--from", "soon"],
        'config: --from must be a date as YYYY, YYYY-MM or YYYY-MM-DD, got "soon"',
      ],
      [
        ["--to", "2023-13"],
        'config: --to must be a date as YYYY, YYYY-MM or YYYY-MM-DD, got "2023-13"',
      ],
      [["--json", "--csv"], "config: choose one of --json and --csv, not both"],
    ];
    for (const [args, message] of cases)
      expect(() => loadConfig(["q", ...args], {}, "search")).toThrow(message);
  });

  it("refuses another command's flags, and reads only its own variables", () => {
    expect(() => loadConfig(["q", "--port", "80"], {}, "search")).toThrow(
      "config: --port is not an option of search (see readout search --help)",
    );
    expect(() => loadConfig(["--limit", "5"], {})).toThrow(
      "config: --limit is not an option of serve (see readout serve --help)",
    );
    expect(() => loadConfig(["x"], {})).toThrow(
      'config: serve takes no arguments, got "x" (see readout serve --help)',
    );
    expect(loadConfig([], { READOUT_PORT: "abc" }, "check")).toMatchObject({
      port: 3000,
    });
  });

  it("checks the folder given, else the configured one", () => {
    expect(
      loadConfig(["/srv/a"], { READOUT_DATA: "/srv/b" }, "check"),
    ).toMatchObject({
      data: "/srv/a",
    });
    expect(loadConfig([], { READOUT_DATA: "/srv/b" }, "check")).toMatchObject({
      data: "/srv/b",
    });
    expect(() => loadConfig(["a", "b"], {}, "check")).toThrow(
      'config: check takes one folder, got "a" "b" (see readout check --help)',
    );
  });

  it("shows help whatever else is missing", () => {
    expect(loadConfig(["--help"], {}, "search")).toMatchObject({ help: true });
  });
});

describe("loadConfig: the saved index", () => {
  it("keeps it in .readout-cache inside the data folder by default", () => {
    expect(loadConfig(["--data", "/srv/a"], {}).cache).toBe(
      "/srv/a/.readout-cache",
    );
  });

  it("moves it with --cache or READOUT_CACHE, flag first", () => {
    expect(loadConfig([], { READOUT_CACHE: "/tmp/c" }).cache).toBe("/tmp/c");
    expect(
      loadConfig(["--cache", "/tmp/d"], { READOUT_CACHE: "/tmp/c" }).cache,
    ).toBe("/tmp/d");
  });

  it("turns it off with --no-cache or READOUT_CACHE=off", () => {
    expect(loadConfig(["--no-cache"], {}).cache).toBeNull();
    expect(loadConfig([], { READOUT_CACHE: "off" }).cache).toBeNull();
  });

  it("is an option of serve and search, not of check", () => {
    expect(loadConfig(["q", "--no-cache"], {}, "search").cache).toBeNull();
    expect(() => loadConfig(["--no-cache"], {}, "check")).toThrow(
      "config: --no-cache is not an option of check",
    );
  });
});

describe("loadConfig: OCR languages", () => {
  it("reads Tesseract's names joined by +, commas or spaces, and none for no OCR", () => {
    expect(loadConfig(["--ocr-languages", "eng+fra"], {}).ocrLanguages).toEqual(
      ["eng", "fra"],
    );
    expect(
      loadConfig([], { READOUT_OCR_LANGUAGES: "chi_sim, deu" }).ocrLanguages,
    ).toEqual(["chi_sim", "deu"]);
    expect(
      loadConfig(["--ocr-languages", "none"], {}, "check").ocrLanguages,
    ).toEqual([]);
    expect(loadConfig([], {}).ocrLanguages).toBeUndefined();
  });

  it("refuses a name that is not one, naming the option and the value", () => {
    expect(() => loadConfig(["--ocr-languages", "en;rm -rf"], {})).toThrow(
      'config: --ocr-languages must be Tesseract\'s language names joined by + (eng+fra, chi_sim) or none, got "en;rm -rf"',
    );
  });
});

describe("loadConfig for the workspace", () => {
  it("reads --users and --read-only, and refuses both at once", () => {
    expect(loadConfig(["--users", "people.txt"], {}).users).toBe(
      path.resolve("people.txt"),
    );
    expect(loadConfig([], { READOUT_USERS: "/etc/readout/users" }).users).toBe(
      "/etc/readout/users",
    );
    expect(loadConfig(["--read-only"], {}).readOnly).toBe(true);
    expect(loadConfig([], { READOUT_READ_ONLY: "1" }).readOnly).toBe(true);
    expect(loadConfig([], {}).readOnly).toBe(false);
    expect(() => loadConfig(["--read-only", "--users", "u"], {})).toThrow(
      "config: --read-only keeps no collections or saved searches, so --users has nothing to sign in to; choose one",
    );
  });

  it("reads user add NAME with its role and file", () => {
    const config = loadConfig(
      ["add", "alice", "--role", "reader", "--users", "/tmp/u"],
      {},
      "user",
    );
    expect(config).toMatchObject({
      userAction: "add",
      userName: "alice",
      role: "reader",
      users: "/tmp/u",
    });
    expect(() =>
      loadConfig(["add", "alice", "--users", "/tmp/u"], {}, "user"),
    ).toThrow("config: user add needs --role editor or --role reader");
    expect(() =>
      loadConfig(
        ["add", "alice", "--role", "admin", "--users", "u"],
        {},
        "user",
      ),
    ).toThrow('config: --role must be editor or reader, got "admin"');
    expect(() =>
      loadConfig(["add", "alice", "--role", "editor"], {}, "user"),
    ).toThrow(
      "config: user add needs --users FILE (or READOUT_USERS): the file of people to write",
    );
    expect(() => loadConfig(["remove", "alice"], {}, "user")).toThrow(
      'config: user takes add NAME, got "remove" "alice" (see readout user --help)',
    );
  });
});
