// The SDK against a live Herald (bin/herald on SQLite with the demo content). With
// HERALD_PRISM=1 every request goes through Prism in proxy mode with --errors, which fails
// any request or response that breaks docs/openapi3.json; the suite then also asserts Prism
// reported no violation.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startHerald } from "@heraldcms/harness";
import type { RunningHerald } from "@heraldcms/harness";
import { Herald, HeraldError, SyncError, pages, unwrap } from "@heraldcms/client";
import type { Article, Session, SyncPage } from "@heraldcms/client";

const fixtureSlugEN = "prospects-for-cooperation-between-ombudsman-and-ohchr-discussed";

let server: RunningHerald;

before(async () => {
  server = await startHerald({ prism: process.env.HERALD_PRISM === "1" });
});

after(async () => {
  if (server !== undefined) {
    const violations = server.violations();
    await server.stop();
    assert.deepEqual(violations, [], "Prism reported violations of docs/openapi3.json");
  }
});

async function signedIn(): Promise<Herald> {
  const herald = new Herald({ baseUrl: server.url });
  await herald.login(server.admin.email, server.admin.password);
  return herald;
}

describe("public reads", () => {
  test("an article by slug, typed", async () => {
    const herald = new Herald({ baseUrl: server.url });
    const article = unwrap(
      await herald.api.GET("/api/v1/articles/{ref}", { params: { path: { ref: fixtureSlugEN }, query: { locale: "en" } } }),
    );
    assert.equal(article.slug, fixtureSlugEN);
    assert.equal(article.locale, "en");
    assert.ok(article.read_count >= 310);
    assert.ok(!Number.isNaN(Date.parse(article.published_at)));
    assert.ok((article.translations ?? []).some((t) => t.locale === "ru"));
  });

  test("a 304 comes back as the cached 200", async () => {
    const herald = new Herald({ baseUrl: server.url });
    const first = await herald.api.GET("/api/v1/categories", { params: { query: { locale: "en" } } });
    assert.equal(first.response.status, 200);
    assert.ok(first.response.headers.get("ETag"));
    // Inline, so TypeScript rejects a parameter the endpoint does not take (Herald answers 400).
    const second = await herald.api.GET("/api/v1/categories", { params: { query: { locale: "en" } } });
    assert.equal(second.response.status, 200);
    assert.equal(second.response.headers.get("X-Herald-Revalidated"), "true");
    assert.deepEqual(unwrap(second), unwrap(first));
  });

  test("cursor pages follow meta.next_cursor to the end", async () => {
    const herald = new Herald({ baseUrl: server.url });
    const seen = new Set<string>();
    let count = 0;
    for await (const page of herald.articlePages({ locale: "ru", per_page: 10 })) {
      count++;
      for (const a of page.data) {
        assert.ok(!seen.has(a.id), `article ${a.id} twice`);
        seen.add(a.id);
      }
    }
    assert.ok(count >= 2, `${count} pages`);
    const total = unwrap(await herald.api.GET("/api/v1/articles", { params: { query: { per_page: 1, page: 1 } } }));
    assert.equal(seen.size, total.meta.total);
  });

  test("pages() stops when next_cursor is absent", async () => {
    const got: number[] = [];
    for await (const p of pages(async (cursor) => ({ n: cursor === undefined ? 1 : 2, meta: { next_cursor: cursor === undefined ? "c" : undefined } }))) {
      got.push(p.n);
    }
    assert.deepEqual(got, [1, 2]);
  });

  test("errors are HeraldErrors with the problem", async () => {
    const herald = new Herald({ baseUrl: server.url });
    await assert.rejects(
      async () => unwrap(await herald.api.GET("/api/v1/articles/{ref}", { params: { path: { ref: "no-such-article" } } })),
      (err: unknown) => err instanceof HeraldError && err.status === 404 && err.problem?.status === 404,
    );
  });
});

describe("writing", () => {
  test("log in, create a draft, publish it, read it back", async () => {
    const herald = await signedIn();
    const title = `SDK test ${Date.now()}`;
    const draft = unwrap(
      await herald.api.POST("/api/v1/admin/articles", {
        body: { translations: [{ locale: "en", title, body: "<p>Hello from the SDK</p>" }] },
      }),
    );
    assert.equal(draft.status, "draft");
    const published = unwrap(
      await herald.api.POST("/api/v1/admin/articles/{id}/publish", {
        params: { path: { id: draft.id }, header: { "If-Match": `"${draft.version}"` } },
        body: {},
      }),
    );
    assert.equal(published.status, "published");
    const read = unwrap(await herald.api.GET("/api/v1/articles/{ref}", { params: { path: { ref: draft.id }, query: { locale: "en" } } }));
    assert.equal(read.title, title);
  });

  test("an expired access token is refreshed once and the request retried", async () => {
    const herald = await signedIn();
    const session = herald.session;
    assert.ok(session !== undefined);
    const changes: (Session | undefined)[] = [];
    const stale = new Herald({
      baseUrl: server.url,
      session: { accessToken: "expired.or.forged", refreshToken: session.refreshToken },
      onSession: (s) => changes.push(s),
    });
    const [a, b] = await Promise.all([stale.api.GET("/api/v1/auth/me"), stale.api.GET("/api/v1/auth/me")]);
    assert.equal(unwrap(a).email, server.admin.email);
    assert.equal(unwrap(b).email, server.admin.email);
    assert.equal(changes.length, 1, "two 401s share one refresh");
    assert.notEqual(stale.session?.refreshToken, session.refreshToken);
    await stale.logout();
    assert.equal(stale.session, undefined);
  });

  test("an API token authenticates without a password", async () => {
    const herald = await signedIn();
    const created = unwrap(await herald.api.POST("/api/v1/auth/tokens", { body: { name: "sdk test", scope: "content" } }));
    assert.match(created.token, /^hrld_pat_/);
    const script = new Herald({ baseUrl: server.url, apiToken: created.token });
    const me = unwrap(await script.api.GET("/api/v1/auth/me"));
    assert.equal(me.email, server.admin.email);
    const draft = unwrap(
      await script.api.POST("/api/v1/admin/articles", { body: { translations: [{ locale: "az", title: "Token ilə" }] } }),
    );
    assert.equal(draft.status, "draft");
  });

  test("the read beacon counts one read", async () => {
    const admin = await signedIn();
    const herald = new Herald({ baseUrl: server.url });
    const article = unwrap(await herald.api.GET("/api/v1/articles/{ref}", { params: { path: { ref: fixtureSlugEN } } }));
    const before = unwrap(await admin.api.GET("/api/v1/admin/articles/{id}", { params: { path: { id: article.id } } })).read_count;
    assert.equal(await herald.countRead(article.id), true);
    let now = before;
    for (let i = 0; i < 50 && now === before; i++) {
      await new Promise((r) => setTimeout(r, 100));
      now = unwrap(await admin.api.GET("/api/v1/admin/articles/{id}", { params: { path: { id: article.id } } })).read_count;
    }
    assert.equal(now, before + 1);
  });
});

describe("delta sync", () => {
  test("sync() pages an initial sync, keeps the token, and brings upserts, tombstones and long-polls", async () => {
    const admin = await signedIn();
    const copy = new Map<string, Article>();
    const tokens: string[] = [];
    const apply = (page: SyncPage): void => {
      for (const t of page.deleted_articles) {
        copy.delete(`${t.id}/${t.locale ?? ""}`);
      }
      for (const a of page.articles) {
        copy.set(`${a.id}/${a.locale}`, a);
      }
    };
    const syncer = new Herald({ baseUrl: server.url }).syncer({ locales: ["en"], perPage: 7, onToken: (t) => tokens.push(t) });
    const initialPages = await syncer.sync(apply);
    assert.ok(initialPages >= 3, `${initialPages} pages`);
    const total = unwrap(await admin.api.GET("/api/v1/articles", { params: { query: { locale: "en", fallback: false, per_page: 1, page: 1 } } }));
    assert.equal(copy.size, total.meta.total);
    assert.equal(tokens.length, 1);
    assert.equal(syncer.token, tokens[0]);

    // An editor publishes: the next sync is one page with that article, as the detail serves it.
    const draft = unwrap(await admin.api.POST("/api/v1/admin/articles", { body: { translations: [{ locale: "en", title: `Synced ${Date.now()}`, body: "<p>Offline</p>" }] } }));
    const published = unwrap(
      await admin.api.POST("/api/v1/admin/articles/{id}/publish", { params: { path: { id: draft.id }, header: { "If-Match": `"${draft.version}"` } }, body: {} }),
    );
    assert.equal(await syncer.sync(apply), 1);
    const detail = unwrap(await admin.api.GET("/api/v1/articles/{ref}", { params: { path: { ref: draft.id }, query: { locale: "en" } } }));
    assert.deepEqual(copy.get(`${draft.id}/en`), detail);

    // It is deleted while a long-poll waits: the long-poll answers with its tombstone.
    const waited = syncer.sync(apply, { wait: 20 });
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    const del = await admin.api.DELETE("/api/v1/admin/articles/{id}", { params: { path: { id: draft.id }, header: { "If-Match": `"${published.version}"` } } });
    assert.equal(del.response.status, 204);
    await waited;
    assert.ok(Date.now() - started < 5000, `long-poll answered after ${Date.now() - started} ms`);
    assert.equal(copy.has(`${draft.id}/en`), false);
    assert.equal(tokens.length, 3);
  });

  test("a token the server refuses is a SyncError naming the status", async () => {
    const syncer = new Herald({ baseUrl: server.url }).syncer({ token: "not-a-token" });
    await assert.rejects(() => syncer.sync(() => {}), (err: unknown) => err instanceof SyncError && err.status === 400);
  });
});
