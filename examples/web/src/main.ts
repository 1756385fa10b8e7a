// A small news site on Herald, the reference consumer of @heraldcms/client: it talks to
// the API only through the SDK. Routes: / (latest, infinite scroll over cursors),
// /articles/{slug} (with hreflang alternates, a date in the reader's language and the read
// beacon) and /categories/{slug}. The language is ?lang=, remembered in localStorage.
import { Herald, HeraldError, unwrap } from "@heraldcms/client";
import type { Article, Locale } from "@heraldcms/client";

const herald = new Herald({ baseUrl: import.meta.env.VITE_HERALD_URL ?? "http://127.0.0.1:8080" });

const app = element("app");
const localeBar = element("locales");
const categoryBar = element("categories");

let locales: Locale[] = [];
let lang = "az";
// Each render gets a generation; async work of an older one stops touching the page.
let generation = 0;
let observer: IntersectionObserver | undefined;

function element(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (el === null) {
    throw new Error(`#${id} is missing from index.html`);
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

function href(path: string, locale = lang): string {
  return `${path}?lang=${encodeURIComponent(locale)}`;
}

function link(path: string, text: string, attrs: Record<string, string> = {}): HTMLAnchorElement {
  return h("a", { href: href(path, attrs.hreflang ?? lang), "data-link": "", ...attrs }, text);
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

const labels: Record<string, { reads: string; more: string; end: string; other: string }> = {
  az: { reads: "oxunma", more: "Yüklənir…", end: "Hamısı bu qədər.", other: "Digər dillərdə" },
  en: { reads: "reads", more: "Loading…", end: "That is all.", other: "In other languages" },
  ru: { reads: "прочтений", more: "Загрузка…", end: "Это всё.", other: "На других языках" },
};

function label(key: "reads" | "more" | "end" | "other"): string {
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
}

async function renderCategoryBar(): Promise<void> {
  const list = unwrap(await herald.api.GET("/api/v1/categories", { params: { query: { locale: lang } } }));
  categoryBar.replaceChildren(...list.data.map((c) => link(`/categories/${c.slug}`, c.name)));
}

function switchLocale(code: string): void {
  lang = code;
  localStorage.setItem("lang", code);
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

/** articleFeed renders pages of articles into a list, loading the next when the sentinel shows. */
function articleFeed(query: { category?: string }): HTMLElement {
  const mine = generation;
  const list = h("ul", { class: "cards", id: "articles" });
  const sentinel = h("div", { class: "sentinel", id: "sentinel" }, label("more"));
  const pages = herald.articlePages({ locale: lang, per_page: 10, ...query });
  let loading = false;
  const more = async (): Promise<void> => {
    if (loading || mine !== generation) {
      return;
    }
    loading = true;
    const next = await pages.next();
    if (mine !== generation) {
      return;
    }
    if (next.done === true) {
      observer?.disconnect();
      sentinel.textContent = label("end");
      sentinel.dataset.done = "true";
    } else {
      list.append(...next.value.data.map(card));
      if (next.value.meta.next_cursor === undefined) {
        observer?.disconnect();
        sentinel.textContent = label("end");
        sentinel.dataset.done = "true";
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

function setAlternates(a: Article): void {
  for (const old of document.head.querySelectorAll('link[rel="alternate"]')) {
    old.remove();
  }
  for (const t of a.translations ?? []) {
    document.head.append(h("link", { rel: "alternate", hreflang: t.locale, href: new URL(href(`/articles/${t.slug}`, t.locale), location.href).href }));
  }
}

async function renderArticle(ref: string): Promise<void> {
  let a: Article;
  try {
    a = unwrap(await herald.api.GET("/api/v1/articles/{ref}", { params: { path: { ref }, query: { locale: lang } } }));
  } catch (err) {
    if (err instanceof HeraldError && err.status === 404) {
      app.replaceChildren(h("p", {}, "Not found."));
      return;
    }
    throw err;
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

async function renderCategory(ref: string): Promise<void> {
  const c = unwrap(await herald.api.GET("/api/v1/categories/{ref}", { params: { path: { ref }, query: { locale: lang } } }));
  document.title = `${c.name} — Herald News`;
  app.replaceChildren(h("h1", {}, c.name), articleFeed({ category: c.id }));
}

async function render(): Promise<void> {
  generation++;
  const params = new URLSearchParams(location.search).get("lang");
  if (params !== null && params !== lang && locales.some((l) => l.code === params)) {
    lang = params;
  }
  renderLocaleBar();
  for (const old of document.head.querySelectorAll('link[rel="alternate"]')) {
    old.remove();
  }
  const [, kind, ref] = location.pathname.split("/");
  const mine = generation;
  await renderCategoryBar();
  if (mine !== generation) {
    return;
  }
  if (kind === "articles" && ref !== undefined && ref !== "") {
    await renderArticle(decodeURIComponent(ref));
  } else if (kind === "categories" && ref !== undefined && ref !== "") {
    await renderCategory(decodeURIComponent(ref));
  } else {
    document.title = "Herald News";
    app.replaceChildren(articleFeed({}));
  }
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

loadLocales()
  .then(render)
  .catch((err: unknown) => {
    app.replaceChildren(h("p", { class: "error" }, `Herald is not answering: ${String(err)}`));
  });
