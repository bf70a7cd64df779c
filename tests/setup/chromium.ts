/** Where the browser tests find Chromium: `CHROMIUM_PATH`, else Debian's. */
export function chromiumPath(env: Record<string, string | undefined>): string {
  return env.CHROMIUM_PATH || "/usr/bin/chromium";
}

/**
 * Headless, with the flags this machine's closed network needs; and one renderer process for
 * every tab. Each tab had one of its own, started for it: the browser files checked 31 tests
 * in 41 s with one renderer, against 52–56 s with one each (a11y and suggest, two cores).
 */
export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--renderer-process-limit=1",
];

/**
 * What to do about a missing Chromium: nothing when it is there; in CI (`CI=true`), where the
 * browser tests must run, `fail`; elsewhere `skip` them.
 */
export function browserMissing(
  env: Record<string, string | undefined>,
  exists: (path: string) => boolean,
): "fail" | "skip" | undefined {
  if (exists(chromiumPath(env))) return undefined;
  return /^(1|true|yes)$/i.test(env.CI ?? "") ? "fail" : "skip";
}

/** What the test run prints when it leaves the browser tests out, or fails for want of Chromium. */
export function missingMessage(
  env: Record<string, string | undefined>,
  action: "fail" | "skip",
): string {
  const path = chromiumPath(env);
  return action === "skip"
    ? `Browser tests SKIPPED: no Chromium at ${path}. Every other test runs. To run them too, install Debian's Chromium (apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary.`
    : `Browser tests cannot run: no Chromium at ${path}, and in CI (CI=${env.CI}) they must. Install it with apt-get install chromium (.ci/run does), or set CHROMIUM_PATH.`;
}
