// A small news site on Herald, the reference consumer of @heraldcms/client: it talks to
// the API only through the SDK. Routes: / (latest, infinite scroll over cursors),
// /articles/{slug} (with hreflang alternates, a date in the reader's language and the read
// beacon), /categories/{slug} (newest first, or A–Z in the reader's alphabet with
// ?sort=title) and /search?q= (ranked hits in every language with their marked words,
// narrowed by the facets; the header's box suggests titles as the reader types). The
// language is ?lang=, remembered in localStorage.
import { Herald, HeraldError, pages, unwrap } from "@heraldcms/client";
import type { Article, Category, Locale, Schemas } from "@heraldcms/client";

type SearchHit = Schemas["SearchHit"];
type SearchSuggestion = Schemas["SearchSuggestion"];

const herald = new Herald({ baseUrl: import.meta.env.VITE_HERALD_URL ?? "http://127.0.0.1:8080" });

const app = element("app", HTMLElement);
const localeBar = element("locales", HTMLElement);
const categoryBar = element("categories", HTMLElement);
const searchForm = element("search", HTMLFormElement);
const searchInput = element("q", HTMLInputElement);
const searchLabel = element("q-label", HTMLLabelElement);
const suggestions = element("suggestions", HTMLUListElement);

let locales: Locale[] = [];
let categories = new Map<string, Category>();
let lang = "az";
// Each render gets a generation; async work of an older one stops touching the page.
let generation = 0;
let observer: IntersectionObserver | undefined;

function element<T extends HTMLElement>(id: string, kind: abstract new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof kind)) {
    throw new Error(`#${id} is missing from index.html or is not a ${kind.name}`);
  }
  return el;
}

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    el.setAttribute(k, v);
  }
  el.append(...children);
  return el;
}

/** markedHTML fills an element with Herald's title_html or snippet_html: text HTML-escaped
 * by the server, the matched words in <mark>. */
function markedHTML<T extends HTMLElement>(el: T, html: string): T {
  el.innerHTML = html;
  return el;
}

function href(path: string, locale = lang, extra: Record<string, string | undefined> = {}): string {
  const query = new URLSearchParams({ lang: locale });
  for (const [k, v] of Object.entries(extra)) {
    if (v !== undefined && v !== "") {
      query.set(k, v);
    }
  }
  return `${path}?${query.toString()}`;
}

function link(path: string, text: string, attrs: Record<string, string> = {}, extra: Record<string, string | undefined> = {}): HTMLAnchorElement {
  return h("a", { href: href(path, attrs.hreflang ?? lang, extra), "data-link": "", ...attrs }, text);
}

// Browsers' ICU data may lack a locale's date names (Chromium writes "2023 M09 8" for
// Azerbaijani, while claiming to support it): those locales' month names come from here.
const months: Record<string, string[]> = {
  az: ["yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avqust", "sentyabr", "oktyabr", "noyabr", "dekabr"],
};

/** formatDate writes a date in the reader's language (the page's, not the served translation's). */
function formatDate(iso: string, locale: string): string {
  const date = new Date(iso);
  const names = months[locale];
  if (names !== undefined) {
    return `${date.getDate()} ${names[date.getMonth()] ?? ""} ${date.getFullYear()}`;
  }
  return new Intl.DateTimeFormat(locale, { dateStyle: "long" }).format(date);
}

type Label = "reads" | "more" | "end" | "other" | "search" | "results" | "about" | "nothing" | "languages" | "sections" | "none" | "order" | "newest" | "alphabet";

const labels: Record<string, Record<Label, string>> = {
  az: {
    reads: "oxunma", more: "Yüklənir…", end: "Hamısı bu qədər.", other: "Digər dillərdə",
    search: "Axtarış", results: "nəticə", about: "təxminən", nothing: "Heç nə tapılmadı.",
    languages: "Bütün dillər", sections: "Bütün bölmələr", none: "Bölməsiz",
    order: "Sıralama", newest: "Ən yenilər", alphabet: "A–Z",
  },
  en: {
    reads: "reads", more: "Loading…", end: "That is all.", other: "In other languages",
    search: "Search", results: "results", about: "about", nothing: "Nothing found.",
    languages: "All languages", sections: "All sections", none: "No section",
    order: "Order", newest: "Newest", alphabet: "A–Z",
  },
  ru: {
    reads: "прочтений", more: "Загрузка…", end: "Это всё.", other: "На других языках",
    search: "Поиск", results: "результатов", about: "около", nothing: "Ничего не найдено.",
    languages: "Все языки", sections: "Все разделы", none: "Без раздела",
    order: "Порядок", newest: "Новые", alphabet: "А–Я",
  },
};

function label(key: Label): string {
  return (labels[lang] ?? labels.en)?.[key] ?? key;
}

async function loadLocales(): Promise<void> {
  locales = unwrap(await herald.api.GET("/api/v1/locales")).data;
  const fromURL = new URLSearchParams(location.search).get("lang");
  const saved = localStorage.getItem("lang");
  const wanted = [fromURL, saved].find((l) => l !== null && locales.some((x) => x.code === l));
  lang = wanted ?? locales.find((l) => l.default)?.code ?? "az";
}

function renderLocaleBar(): void {
  localeBar.replaceChildren(
    ...locales.map((l) => {
      const b = h("button", { type: "button", "data-locale": l.code, "aria-pressed": String(l.code === lang), title: l.name }, l.code.toUpperCase());
      b.addEventListener("click", () => switchLocale(l.code));
      return b;
    }),
  );
  document.documentElement.lang = lang;
  searchLabel.textContent = label("search");
  searchInput.placeholder = `${label("search")}…`;
}

async function renderCategoryBar(): Promise<void> {
  const list = unwrap(await herald.api.GET("/api/v1/categories", { params: { query: { locale: lang } } }));
  categories = new Map(list.data.map((c) => [c.id, c]));
  categoryBar.replaceChildren(...list.data.map((c) => link(`/categories/${c.slug}`, c.name)));
}

function switchLocale(code: string): void {
  lang = code;
  localStorage.setItem("lang", code);
  if (location.pathname === "/search") {
    // The hits stay: they are in every language already; only the page's words change.
    const query = new URLSearchParams(location.search);
    query.set("lang", code);
    navigate(`/search?${query.toString()}`);
    return;
  }
  const path = location.pathname.startsWith("/articles/") || location.pathname.startsWith("/categories/") ? "/" : location.pathname;
  navigate(href(path));
}

function navigate(url: string): void {
  history.pushState(null, "", url);
  void render();
}

function card(a: Article): HTMLLIElement {
  const meta = h("div", { class: "meta" }, h("time", { datetime: a.published_at }, formatDate(a.published_at, lang)));
  if (a.category) {
    meta.append(" · ", link(`/categories/${a.category.slug}`, a.category.name));
  }
  return h("li", { class: "card", "data-article": a.id, lang: a.locale }, meta, h("h2", {}, link(`/articles/${a.slug}`, a.title)), h("p", {}, a.summary));
}

/** hitCard is one search hit: its language, its marked title and the passage that matched.
 * Its link serves the translation that matched, in that language. */
function hitCard(hit: SearchHit): HTMLLIElement {
  const meta = h("div", { class: "meta" }, h("span", { class: "hit-locale" }, hit.locale.toUpperCase()), " · ", h("time", { datetime: hit.published_at }, formatDate(hit.published_at, lang)));
  const category = hit.category_id === undefined ? undefined : categories.get(hit.category_id);
  if (category !== undefined) {
    meta.append(" · ", link(`/categories/${category.slug}`, category.name));
  }
  const title = markedHTML(link(`/articles/${hit.slug}`, "", { hreflang: hit.locale, lang: hit.locale }), hit.title_html);
  const li = h("li", { class: "card hit", "data-article": hit.id, lang: hit.locale }, meta, h("h2", {}, title));
  if (hit.snippet_html !== undefined && hit.snippet_html !== "") {
    li.append(markedHTML(h("p", { class: "snippet" }), hit.snippet_html));
  }
  return li;
}

type Page<T> = { data: T[]; meta: { next_cursor?: string } };

/** feed renders pages of a cursor-paged list into a list, loading the next page when the
 * sentinel at its end comes into view. */
function feed<T>(id: string, source: AsyncGenerator<Page<T>, void, undefined>, item: (t: T) => HTMLElement): HTMLElement {
  const mine = generation;
  const list = h("ul", { class: "cards", id });
  const sentinel = h("div", { class: "sentinel", id: "sentinel" }, label("more"));
  let loading = false;
  const done = (): void => {
    observer?.disconnect();
    sentinel.textContent = label("end");
    sentinel.dataset.done = "true";
  };
  const more = async (): Promise<void> => {
    if (loading || mine !== generation) {
      return;
    }
    loading = true;
    const next = await source.next();
    if (mine !== generation) {
      return;
    }
    if (next.done === true) {
      done();
    } else {
      list.append(...next.value.data.map(item));
      if (next.value.meta.next_cursor === undefined) {
        done();
      }
    }
    loading = false;
    // A tall window may still show the sentinel: the observer will not fire again for it.
    if (sentinel.dataset.done !== "true" && sentinel.getBoundingClientRect().top < window.innerHeight) {
      requestAnimationFrame(() => void more());
    }
  };
  observer?.disconnect();
  observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) {
      void more();
    }
  });
  observer.observe(sentinel);
  return h("section", {}, list, sentinel);
}

type ArticleSort = NonNullable<NonNullable<Parameters<Herald["articlePages"]>[0]>["sort"]>;

function articleFeed(query: { category?: string; sort?: ArticleSort }): HTMLElement {
  return feed("articles", herald.articlePages({ locale: lang, per_page: 10, ...query }), card);
}

function setAlternates(a: Article): void {
  for (const old of document.head.querySelectorAll('link[rel="alternate"]')) {
    old.remove();
  }
  for (const t of a.translations ?? []) {
    document.head.append(h("link", { rel: "alternate", hreflang: t.locale, href: new URL(href(`/articles/${t.slug}`, t.locale), location.href).href }));
  }
}

async function renderArticle(ref: string): Promise<void> {
  const mine = generation;
  let a: Article;
  try {
    a = unwrap(await herald.api.GET("/api/v1/articles/{ref}", { params: { path: { ref }, query: { locale: lang } } }));
  } catch (err) {
    if (err instanceof HeraldError && err.status === 404 && mine === generation) {
      app.replaceChildren(h("p", {}, "Not found."));
      return;
    }
    throw err;
  }
  if (mine !== generation) {
    return; // the reader went elsewhere meanwhile
  }
  document.title = `${a.title} — Herald News`;
  setAlternates(a);
  const body = h("div", { class: "body" });
  body.innerHTML = a.body ?? ""; // sanitized by Herald on save
  const meta = h(
    "div",
    { class: "meta" },
    h("time", { datetime: a.published_at }, formatDate(a.published_at, lang)),
    " · ",
    h("span", { id: "read-count" }, String(a.read_count)),
    ` ${label("reads")}`,
  );
  if (a.category) {
    meta.append(" · ", link(`/categories/${a.category.slug}`, a.category.name));
  }
  const others = (a.translations ?? []).filter((t) => t.locale !== a.locale);
  const otherNav = h("nav", { class: "other-languages" }, `${label("other")}: `, ...others.map((t) => link(`/articles/${t.slug}`, t.title, { hreflang: t.locale, lang: t.locale })));
  app.replaceChildren(h("article", { "data-article": a.id, lang: a.locale }, h("h1", {}, a.title), meta, body, otherNav));
  // One read per page view; the beacon survives the reader leaving the page.
  void herald.countRead(a.id);
}

async function renderCategory(ref: string, params: URLSearchParams): Promise<void> {
  const mine = generation;
  const c = unwrap(await herald.api.GET("/api/v1/categories/{ref}", { params: { path: { ref }, query: { locale: lang } } }));
  if (mine !== generation) {
    return;
  }
  document.title = `${c.name} — Herald News`;
  // Title order is the served locale's alphabet, kept by Herald's index (Ə after E in az).
  const sort: ArticleSort | undefined = params.get("sort") === "title" ? "title" : undefined;
  const orderLink = (text: string, value: ArticleSort | undefined): HTMLAnchorElement =>
    link(`/categories/${c.slug}`, text, { "data-sort": value ?? "newest", "aria-current": String(value === sort) }, { sort: value });
  const order = h("nav", { class: "order", "aria-label": label("order") }, orderLink(label("newest"), undefined), orderLink(label("alphabet"), "title"));
  app.replaceChildren(h("h1", {}, c.name), order, articleFeed({ category: c.id, sort }));
}

/** renderSearch shows the hits of ?q= in every language (or ?in=, one of them), in ?category=
 * if given, with the first page's facets as links that narrow the search. */
async function renderSearch(params: URLSearchParams): Promise<void> {
  const q = params.get("q") ?? "";
  const within = params.get("in") ?? undefined;
  const category = params.get("category") ?? undefined;
  searchInput.value = q;
  document.title = `${label("search")}: ${q} — Herald News`;
  const heading = h("h1", {}, `${label("search")}: `, h("q", {}, q));
  if (q.trim() === "") {
    app.replaceChildren(heading);
    return;
  }
  const query = { q, locale: within, category, per_page: 10 };
  const hits = pages(async (cursor) => unwrap(await herald.api.GET("/api/v1/search", { params: { query: { ...query, cursor } } })));
  const mine = generation;
  let first;
  try {
    first = await hits.next();
  } catch (err) {
    if (mine !== generation) {
      return;
    }
    if (err instanceof HeraldError && err.status === 400) {
      // Herald names what was wrong with the query (too long, too many words…).
      app.replaceChildren(heading, h("p", { class: "error", role: "alert" }, err.problem?.detail ?? err.message));
      return;
    }
    throw err;
  }
  if (first.done === true || mine !== generation) {
    return;
  }
  const page = first.value;
  const facets = page.facets;
  const total = facets === undefined ? "" : `${facets.estimated ? `${label("about")} ` : ""}${facets.total} ${label("results")}`;
  const narrow = (text: string, extra: { in?: string; category?: string }, current: boolean, count?: number): HTMLAnchorElement =>
    link("/search", count === undefined ? text : `${text} ${count}`, { "aria-current": String(current) }, { q, in: within, category, ...extra });
  const localeFacets = h(
    "div",
    { class: "facet", id: "facet-locales" },
    narrow(label("languages"), { in: "" }, within === undefined),
    ...(facets?.locales ?? []).map((f) => {
      const a = narrow(f.locale.toUpperCase(), { in: f.locale }, f.locale === within, Number(f.count));
      a.dataset.locale = f.locale;
      return a;
    }),
  );
  const categoryFacets = h(
    "div",
    { class: "facet", id: "facet-categories" },
    narrow(label("sections"), { category: "" }, category === undefined),
    ...(facets?.categories ?? []).flatMap((f) => {
      const c = f.id === null || f.id === undefined ? undefined : categories.get(f.id);
      if (c === undefined) {
        return f.id === null ? [h("span", {}, `${label("none")} ${Number(f.count)}`)] : [];
      }
      const a = narrow(c.name, { category: c.slug }, category === c.slug || category === c.id, Number(f.count));
      a.dataset.category = c.slug;
      return [a];
    }),
  );
  const body: (Node | string)[] = [heading, h("p", { class: "total", id: "total" }, total), h("nav", { class: "facets", "aria-label": label("search") }, localeFacets, categoryFacets)];
  if (page.data.length === 0) {
    body.push(h("p", { class: "nothing" }, label("nothing")));
  } else {
    body.push(feed("hits", startingWith(page, hits), hitCard));
  }
  app.replaceChildren(...body);
}

async function* startingWith<T>(first: T, rest: AsyncGenerator<T, void, undefined>): AsyncGenerator<T, void, undefined> {
  yield first;
  yield* rest;
}

// Typeahead: titles in the reader's language that start what was typed. Only the newest
// keystroke's answer is shown; arrows choose, Enter opens, Escape closes.
let suggestSeq = 0;
let suggestTimer: number | undefined;
let activeSuggestion = -1;

function closeSuggestions(): void {
  suggestSeq++;
  window.clearTimeout(suggestTimer);
  suggestions.replaceChildren();
  suggestions.hidden = true;
  activeSuggestion = -1;
  searchInput.setAttribute("aria-expanded", "false");
  searchInput.removeAttribute("aria-activedescendant");
}

async function suggest(): Promise<void> {
  const seq = ++suggestSeq;
  const q = searchInput.value;
  if ([...q.trim()].length < 2) {
    closeSuggestions();
    return;
  }
  let found: SearchSuggestion[];
  try {
    found = unwrap(await herald.api.GET("/api/v1/search/suggest", { params: { query: { q, locale: lang, limit: 6 } } })).data;
  } catch {
    found = []; // a query Herald refuses (too long) suggests nothing; Enter still explains why
  }
  if (seq !== suggestSeq) {
    return;
  }
  activeSuggestion = -1;
  searchInput.removeAttribute("aria-activedescendant");
  suggestions.replaceChildren(
    ...found.map((s, i) => h("li", { role: "option", id: `suggestion-${i}`, "aria-selected": "false" }, markedHTML(link(`/articles/${s.slug}`, "", { hreflang: s.locale, lang: s.locale, tabindex: "-1" }), s.title_html))),
  );
  suggestions.hidden = found.length === 0;
  searchInput.setAttribute("aria-expanded", String(found.length > 0));
}

function chooseSuggestion(step: number): void {
  const options = suggestions.querySelectorAll("li");
  if (options.length === 0) {
    return;
  }
  // Positions 0..n, where 0 is the box itself (no suggestion chosen); arrows wrap around.
  const positions = options.length + 1;
  activeSuggestion = ((activeSuggestion + 1 + step + positions) % positions) - 1;
  options.forEach((o, i) => o.setAttribute("aria-selected", String(i === activeSuggestion)));
  const active = options[activeSuggestion];
  if (active === undefined) {
    searchInput.removeAttribute("aria-activedescendant");
  } else {
    searchInput.setAttribute("aria-activedescendant", active.id);
  }
}

searchInput.addEventListener("input", () => {
  window.clearTimeout(suggestTimer);
  suggestTimer = window.setTimeout(() => void suggest(), 120);
});
searchInput.addEventListener("keydown", (e) => {
  if (e.key === "ArrowDown" || e.key === "ArrowUp") {
    e.preventDefault();
    chooseSuggestion(e.key === "ArrowDown" ? 1 : -1);
  } else if (e.key === "Escape") {
    closeSuggestions();
  } else if (e.key === "Enter" && activeSuggestion >= 0) {
    e.preventDefault();
    suggestions.querySelectorAll("a")[activeSuggestion]?.click();
  }
});
searchInput.addEventListener("blur", () => closeSuggestions());
// A press on a suggestion must not blur the box first, or the list is gone before the click.
suggestions.addEventListener("mousedown", (e) => e.preventDefault());
searchForm.addEventListener("submit", (e) => {
  e.preventDefault();
  closeSuggestions();
  if (searchInput.value.trim() !== "") {
    navigate(href("/search", lang, { q: searchInput.value }));
  }
});

async function render(): Promise<void> {
  generation++;
  closeSuggestions();
  const params = new URLSearchParams(location.search);
  const wanted = params.get("lang");
  if (wanted !== null && wanted !== lang && locales.some((l) => l.code === wanted)) {
    lang = wanted;
  }
  renderLocaleBar();
  for (const old of document.head.querySelectorAll('link[rel="alternate"]')) {
    old.remove();
  }
  const [, kind, ref] = location.pathname.split("/");
  const mine = generation;
  try {
    await renderCategoryBar();
    if (mine !== generation) {
      return;
    }
    if (kind !== "search") {
      searchInput.value = "";
    }
    if (kind === "articles" && ref !== undefined && ref !== "") {
      await renderArticle(decodeURIComponent(ref));
    } else if (kind === "categories" && ref !== undefined && ref !== "") {
      await renderCategory(decodeURIComponent(ref), params);
    } else if (kind === "search") {
      await renderSearch(params);
    } else {
      document.title = "Herald News";
      app.replaceChildren(articleFeed({}));
    }
  } catch (err) {
    if (mine === generation) {
      showError(err);
    }
  }
}

/** showError replaces the page with why it could not be shown: Herald's problem detail
 * (a 503 while its database is away says so), or the network's error. */
function showError(err: unknown): void {
  const why = err instanceof HeraldError ? (err.problem?.detail ?? err.message) : String(err);
  app.replaceChildren(h("p", { class: "error", role: "alert" }, `Herald is not answering: ${why}`));
}

document.addEventListener("click", (e) => {
  const target = e.target;
  const a = target instanceof Element ? target.closest("a[data-link]") : null;
  if (a instanceof HTMLAnchorElement && a.origin === location.origin && !e.metaKey && !e.ctrlKey) {
    e.preventDefault();
    const hreflang = a.getAttribute("hreflang");
    if (hreflang !== null) {
      lang = hreflang;
      localStorage.setItem("lang", hreflang);
    }
    navigate(a.pathname + a.search);
  }
});
window.addEventListener("popstate", () => void render());

loadLocales().then(render).catch(showError);
