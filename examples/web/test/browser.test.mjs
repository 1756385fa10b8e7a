// The example in a real browser (Playwright driving Debian's Chromium): the issue's
// scenario from the home page to the read beacon, against Herald with the demo content.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { Herald, unwrap } from "@heraldcms/client";
import { startExample } from "../serve.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const results = join(here, "..", "test-results");
const fixtureSlugRU = "obsuzhdeny-perspektivy-sotrudnichestva-ombudsmana-i-uvkpch-oon";

let example;
let browser;

before(async () => {
  example = await startExample();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    // No sandbox as root; nothing that reaches for the network on its own (it is closed).
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  mkdirSync(results, { recursive: true });
});

after(async () => {
  await browser?.close();
  await example?.stop();
});

test("home, Russian, second page, the fixture article and its read beacon", async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));

  await page.goto(example.url + "/");
  await page.locator("#articles li").first().waitFor();
  const azDate = await page.locator("#articles time").first().textContent();
  assert.match(azDate ?? "", /^\d{1,2} [a-zəğıöşüç]+ \d{4}$/, "an Azerbaijani date");

  await page.click('#locales button[data-locale="ru"]');
  await page.waitForFunction(() => document.documentElement.lang === "ru");
  await page.locator("#articles li").first().waitFor();
  const firstTitle = await page.locator("#articles li h2").first().textContent();
  assert.match(firstTitle ?? "", /[А-Яа-яЁё]/, "the first article is in Russian");
  assert.equal(await page.locator("#articles li").count(), 10);
  await page.screenshot({ path: join(results, "home-ru.png") });
  if (process.env.UPDATE_SCREENSHOT === "1") {
    await page.screenshot({ path: join(here, "..", "screenshot.png") });
  }

  // Infinite scroll: the sentinel coming into view loads the next cursor page.
  await page.locator("#sentinel").scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelectorAll("#articles li").length > 10);

  const fixture = page.locator(`#articles a[href^="/articles/${fixtureSlugRU}"]`);
  for (let i = 0; i < 20 && (await fixture.count()) === 0; i++) {
    if ((await page.locator("#sentinel[data-done]").count()) > 0) break;
    await page.locator("#sentinel").scrollIntoViewIfNeeded();
    await page.waitForTimeout(200);
  }
  assert.equal(await fixture.count(), 1, "the fixture article is listed");

  const beacon = page.waitForRequest((r) => r.method() === "POST" && r.url().endsWith("/views"));
  await fixture.click();
  await page.locator("article h1").waitFor();
  const id = await page.locator("article").getAttribute("data-article");
  assert.ok(id);
  assert.equal(await page.locator("#read-count").textContent(), "310");

  // hreflang alternates for every language, a Russian date, links to the other languages.
  const alternates = await page.locator('head link[rel="alternate"]').evaluateAll((ls) => ls.map((l) => l.getAttribute("hreflang")).sort());
  assert.deepEqual(alternates, ["az", "en", "ru"]);
  const time = page.locator("article time");
  const published = await time.getAttribute("datetime");
  assert.equal(await time.textContent(), new Intl.DateTimeFormat("ru", { dateStyle: "long" }).format(new Date(published ?? "")));
  assert.equal(await page.locator(".other-languages a").count(), 2);
  await page.screenshot({ path: join(results, "article-ru.png") });

  await beacon;
  const herald = new Herald({ baseUrl: example.herald.url, revalidate: false });
  let count = 0;
  for (let i = 0; i < 60 && count !== 311; i++) {
    await page.waitForTimeout(100);
    count = unwrap(await herald.api.GET("/api/v1/articles/{ref}", { params: { path: { ref: id } } })).read_count;
  }
  assert.equal(count, 311, "the beacon counted one read");
  await page.waitForTimeout(1200);
  count = unwrap(await herald.api.GET("/api/v1/articles/{ref}", { params: { path: { ref: id } } })).read_count;
  assert.equal(count, 311, "exactly one read");

  // The article's category page lists that category's articles.
  const categoryLink = page.locator("article .meta a");
  const categoryName = await categoryLink.textContent();
  await categoryLink.click();
  await page.locator("main h1").filter({ hasText: categoryName ?? "" }).waitFor();
  await page.locator("#articles li").first().waitFor();
  const cardCategories = await page.locator("#articles li .meta a").allTextContents();
  assert.ok(cardCategories.length > 0 && cardCategories.every((c) => c === categoryName), cardCategories.join(", "));
  assert.deepEqual(errors, []);
});
