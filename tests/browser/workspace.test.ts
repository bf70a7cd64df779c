import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/runtime/users.ts";
import { workspaceFixture } from "../helpers.ts";
import { axeFindings, launchBrowser, serve } from "./browser.ts";

let browser: Browser;
let local: Awaited<ReturnType<typeof serve>>;
let shared: Awaited<ReturnType<typeof serve>>;
const fixture = await workspaceFixture();
const people = await workspaceFixture({
  users: new Map([
    [
      "alice",
      {
        name: "alice",
        role: "editor",
        hash: await hashPassword("alice password", { ln: 4, r: 8, p: 1 }),
      },
    ],
  ]),
});

beforeAll(async () => {
  local = await serve(fixture.app);
  shared = await serve(people.app);
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await local?.close();
  await shared?.close();
  await fixture.cleanup();
  await people.cleanup();
});

/** What a collection holds now, as its JSON twin says. */
async function itemsOf(slug: string) {
  const res = await fetch(`${local.base}/collections/${slug}.json`);
  return (
    (await res.json()) as {
      items: { id: string; note: string; tags: string[] }[];
    }
  ).items;
}

describe("adding a statement to a collection", () => {
  it("works without JavaScript, from a result line and from a statement's page", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${local.base}/search?q=zeugma`);
    await page
      .locator(".hit")
      .first()
      .getByRole("button", { name: /to collection/ })
      .click();
    await page.waitForURL(/\/collections\/add\?id=press-release/);
    await page.getByLabel(/^Note/).fill("Found by *zeugma*");
    await page.getByLabel(/^Tags/).fill("culture, zeugma");
    await page.getByRole("button", { name: /Ceasefire evidence/ }).click();
    await page.waitForURL(
      /\/collections\/ceasefire-evidence\?added=press-release/,
    );
    expect(await page.getByRole("status").innerText()).toContain(
      "Added “Press release on the zeugma exhibition”",
    );
    await page.getByRole("link", { name: "Back to where you were" }).click();
    await page.waitForURL(/\/search\?q=zeugma$/);
    expect((await itemsOf("ceasefire-evidence")).at(-1)).toMatchObject({
      id: "press-release",
      note: "Found by *zeugma*",
      tags: ["culture", "zeugma"],
    });

    await page.goto(`${local.base}/statements/crlf-bom`);
    await page.getByRole("button", { name: /to collection/ }).click();
    await page.getByLabel("Its name").fill("Without script");
    await page.getByRole("button", { name: "Create and add" }).click();
    await page.waitForURL(/\/collections\/without-script\?added=crlf-bom/);
    expect(await itemsOf("without-script")).toMatchObject([{ id: "crlf-bom" }]);
    await context.close();
  }, 60_000);

  it("works in place with JavaScript, from a result line and from a statement's page", async () => {
    const page = await browser.newPage();
    await page.goto(`${local.base}/search?q=sanctions`);
    const hit = page.locator(".hit").first();
    await hit.getByRole("button", { name: /to collection/ }).click();
    const panel = page.locator(".collect-panel");
    await panel
      .getByLabel("Collection", { exact: true })
      .selectOption({ label: "Ceasefire evidence (3)" });
    await panel.getByLabel(/^Note/).fill("Kept from the results, in place");
    await panel.getByLabel(/^Tags/).fill("inline");
    await panel.getByRole("button", { name: "Add" }).click();
    await expect
      .poll(() => panel.getByRole("status").innerText())
      .toBe("Note and tags saved in Ceasefire evidence.");
    // The page did not change: the same results, the panel below the hit.
    expect(page.url()).toBe(`${local.base}/search?q=sanctions`);
    expect(
      (await itemsOf("ceasefire-evidence")).find(
        (i) => i.id === "rec-sanctions-2023",
      ),
    ).toMatchObject({
      note: "Kept from the results, in place",
      tags: ["inline"],
    });

    await page.goto(`${local.base}/statements/markup-lt-amp`);
    await page.getByRole("button", { name: /to collection/ }).click();
    await panel
      .getByLabel("Collection", { exact: true })
      .selectOption({ label: "A new collection…" });
    await panel.getByLabel("New collection’s name").fill("With script");
    await panel.getByRole("button", { name: "Add" }).click();
    await expect
      .poll(() => panel.getByRole("status").innerText())
      .toBe("Added to With script.");
    expect(await itemsOf("with-script")).toMatchObject([
      { id: "markup-lt-amp" },
    ]);
    expect(await axeFindings(page)).toEqual([]);
    await page.close();
  }, 60_000);

  it("shows a note's hostile markup as text, running nothing", async () => {
    const page = await browser.newPage();
    let dialogs = 0;
    page.on("dialog", async (d) => {
      dialogs++;
      await d.dismiss();
    });
    await page.goto(`${local.base}/collections/add?id=long-body`);
    const note =
      "<img src=x onerror=alert(1)> [x](javascript:alert(2)) **<svg onload=alert(3)>**";
    await page.getByLabel(/^Note/).fill(note);
    await page.getByRole("button", { name: /Ceasefire evidence/ }).click();
    await page.waitForURL(/added=long-body/);
    const shown = page.locator(".kept-item").last().locator(".note-text");
    expect(await shown.innerText()).toBe(
      "<img src=x onerror=alert(1)> [x](javascript:alert(2)) <svg onload=alert(3)>",
    );
    expect(await shown.locator("img, svg, a").count()).toBe(0);
    expect(dialogs).toBe(0);
    await page.close();
  }, 60_000);
});

describe("signing in", () => {
  it("asks for a sign-in first, then goes where it was asked to go", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${shared.base}/collections`);
    await page.waitForURL(/\/sign-in\?next=%2Fcollections/);
    expect(await axeFindings(page, { enable: ["target-size"] })).toEqual([]);
    await page.getByLabel("Name").fill("alice");
    await page.getByLabel("Password").fill("wrong");
    await page.getByRole("button", { name: "Sign in" }).click();
    expect(await page.getByRole("alert").innerText()).toContain("do not match");
    await page.getByLabel("Password").fill("alice password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${shared.base}/collections`);
    expect(await page.locator("form.person").innerText()).toContain(
      "Signed in as alice (editor)",
    );
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in$/);
    await context.close();
  }, 60_000);
});
