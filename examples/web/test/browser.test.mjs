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

test("search: typeahead, folded Azerbaijani, hits in every language narrowed by facets, a refused query, A–Z order", async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(example.url + "/?lang=az");
  await page.locator("#articles li").first().waitFor();

  // Typeahead: "gelec" without the Azerbaijani letters suggests the fixture's title, the
  // word marked as written (gələcək).
  await page.locator("#q").pressSequentially("gelec", { delay: 30 });
  await page.locator("#suggestions li").first().waitFor();
  assert.equal(await page.locator("#q").getAttribute("aria-expanded"), "true");
  const suggestion = page.locator("#suggestions li", { hasText: "Ali Komissarlığı Ofisi arasında gələcək" });
  assert.equal(await suggestion.count(), 1, (await page.locator("#suggestions").textContent()) ?? "");
  assert.match((await suggestion.locator("mark").first().textContent()) ?? "", /^gələc/i);
  // Arrows choose a suggestion and Enter opens it.
  const texts = await page.locator("#suggestions li").allTextContents();
  const at = texts.findIndex((t) => t.includes("Ali Komissarlığı Ofisi arasında gələcək"));
  for (let i = 0; i <= at; i++) {
    await page.keyboard.press("ArrowDown");
  }
  assert.equal(await page.locator("#q").getAttribute("aria-activedescendant"), `suggestion-${at}`);
  await page.keyboard.press("Enter");
  await page.locator("article h1", { hasText: "gələcək əməkdaşlığın" }).waitFor();
  // Escape closes the list.
  await page.locator("#q").pressSequentially("omb", { delay: 30 });
  await page.locator("#suggestions li").first().waitFor();
  await page.keyboard.press("Escape");
  assert.equal(await page.locator("#suggestions").isHidden(), true);
  assert.equal(await page.locator("#q").getAttribute("aria-expanded"), "false");

  // A search: one Azerbaijani hit, its word marked, the facets counting it.
  await search(page, "gelecek");
  assert.equal(await page.locator("#hits li").count(), 1);
  assert.equal(await page.locator("#hits li").getAttribute("lang"), "az");
  assert.equal((await page.locator("#hits li h2 mark").first().textContent())?.toLowerCase(), "gələcək");
  assert.equal((await page.locator('#facet-locales a[data-locale="az"]').textContent())?.trim(), "AZ 1");
  await page.screenshot({ path: join(results, "search-az.png") });

  // A word in two languages: both facets, then only English, read to the end of its pages.
  await search(page, "ombudsman");
  const locales = await page.locator("#facet-locales a[data-locale]").evaluateAll((as) => as.map((a) => a.dataset.locale));
  assert.deepEqual([...locales].sort(), ["az", "en"]);
  const en = page.locator('#facet-locales a[data-locale="en"]');
  const enCount = Number(((await en.textContent()) ?? "").replace(/\D+/g, ""));
  assert.ok(enCount > 10, `more English hits than a page: ${enCount}`);
  await en.click();
  await page.waitForURL((u) => u.searchParams.get("in") === "en");
  await page.locator('#facet-locales a[data-locale="en"][aria-current="true"]').waitFor();
  await scrollToEnd(page);
  const hitLocales = await page.locator("#hits li").evaluateAll((ls) => ls.map((l) => l.getAttribute("lang")));
  assert.equal(hitLocales.length, enCount, "every English hit, over several pages");
  assert.ok(hitLocales.every((l) => l === "en"), hitLocales.join(","));
  const ids = await page.locator("#hits li").evaluateAll((ls) => ls.map((l) => l.getAttribute("data-article")));
  assert.equal(new Set(ids).size, ids.length, "no hit twice across pages");

  // A category facet narrows again; its count is the hits shown.
  const facet = page.locator("#facet-categories a[data-category]").first();
  const facetCount = Number(((await facet.textContent()) ?? "").replace(/\D+/g, ""));
  const facetName = ((await facet.textContent()) ?? "").replace(/\s*\d+$/, "");
  await facet.click();
  await page.waitForURL((u) => u.searchParams.has("category") && u.searchParams.get("in") === "en");
  await page.locator('#facet-categories a[data-category][aria-current="true"]').waitFor();
  await page.locator("#hits li").first().waitFor();
  await scrollToEnd(page);
  assert.equal(await page.locator("#hits li").count(), facetCount);
  const hitCategories = await page.locator("#hits li .meta a").allTextContents();
  assert.ok(hitCategories.every((c) => c === facetName), `${facetName}: ${hitCategories.join(", ")}`);

  // A hit opens the translation that matched.
  const hitTitle = await page.locator("#hits li h2").first().textContent();
  await page.locator("#hits li h2 a").first().click();
  await page.locator("article h1").waitFor();
  assert.equal(await page.locator("article h1").textContent(), hitTitle);
  assert.equal(await page.locator("article").getAttribute("lang"), "en");

  // A query Herald refuses (over 500 bytes) is explained, not a broken page.
  await page.locator("#q").evaluate((el) => el.removeAttribute("maxlength"));
  await page.locator("#q").fill("news ".repeat(120));
  await page.keyboard.press("Enter");
  const refusal = page.locator("main .error[role=alert]");
  await refusal.waitFor();
  assert.match((await refusal.textContent()) ?? "", /\bq\b|500/);

  // A search answered after the reader has gone elsewhere does not take the page back.
  let release;
  const held = new Promise((r) => (release = r));
  await page.route("**/api/v1/search?*", async (route) => {
    await held;
    await route.continue();
  });
  await page.locator("#q").fill("ombudsman");
  await page.keyboard.press("Enter");
  await page.waitForURL((u) => u.searchParams.get("q") === "ombudsman" && !u.searchParams.has("in"));
  const elsewhere = page.locator("#categories a").first();
  const elsewhereName = await elsewhere.textContent();
  await elsewhere.click();
  await page.locator("main h1", { hasText: elsewhereName ?? "" }).waitFor();
  await page.locator("#articles li").first().waitFor();
  release();
  await page.waitForTimeout(300);
  await page.unroute("**/api/v1/search?*");
  assert.equal(await page.locator("main h1").textContent(), elsewhereName, "the late search did not replace the category page");
  assert.equal(await page.locator("#hits").count(), 0);

  // Herald unavailable (a 503 with its problem): the page says why instead of going blank.
  await page.route("**/api/v1/search?*", (route) =>
    route.fulfill({
      status: 503,
      contentType: "application/problem+json",
      headers: { "Retry-After": "1", "Access-Control-Allow-Origin": "*" },
      body: JSON.stringify({ type: "urn:herald:problem:unavailable", title: "Service Unavailable", status: 503, detail: "the database is unavailable; try again shortly" }),
    }),
  );
  await page.locator("#q").fill("ombudsman");
  await page.keyboard.press("Enter");
  const down = page.locator("main .error[role=alert]", { hasText: "the database is unavailable" });
  await down.waitFor();
  await page.unroute("**/api/v1/search?*");

  // A–Z: a category's articles in the Azerbaijani alphabet (Ə after E, X after H, İ after I).
  await page.goto(example.url + "/categories/xeberler?lang=az");
  await page.locator("#articles li").first().waitFor();
  await page.click('.order a[data-sort="title"]');
  await page.waitForURL((u) => u.searchParams.get("sort") === "title");
  await page.locator('.order a[data-sort="title"][aria-current="true"]').waitFor();
  await page.locator("#articles li").first().waitFor();
  await scrollToEnd(page);
  const titles = await page.locator("#articles li h2").allTextContents();
  assert.ok(titles.length > 10, `a category longer than a page: ${titles.length}`);
  const az = new Intl.Collator("az");
  assert.deepEqual(titles, [...titles].sort(az.compare), "Herald's order is the Azerbaijani alphabet's");
  assert.notDeepEqual(titles, [...titles].sort(), "and not code-point order, which would not test it");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(results, "category-az-title.png") });
  assert.deepEqual(errors, []);
});

/** search types q into the header's box and waits for its hits (not the previous search's). */
async function search(page, q) {
  await page.locator("#q").fill(q);
  await page.keyboard.press("Enter");
  await page.waitForURL((u) => u.pathname === "/search" && u.searchParams.get("q") === q);
  await page.locator("main h1 q", { hasText: q }).waitFor();
  await page.locator("#hits li").first().waitFor();
}

/** scrollToEnd scrolls the infinite list until its sentinel says there is nothing more. */
async function scrollToEnd(page) {
  for (let i = 0; i < 20 && (await page.locator("#sentinel[data-done]").count()) === 0; i++) {
    await page.locator("#sentinel").scrollIntoViewIfNeeded();
    await page.waitForTimeout(150);
  }
  assert.equal(await page.locator("#sentinel[data-done]").count(), 1, "the list ended within 20 pages");
}
