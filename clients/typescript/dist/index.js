// @heraldcms/client: the typed Herald API (openapi-fetch over types openapi-typescript
// generates from docs/openapi3.json, in schema.ts) and the few helpers a generator cannot
// write: credentials (an API token, or a login session whose access token is refreshed on
// 401), If-None-Match revalidation that turns a 304 back into the cached 200, cursor paging
// over meta.next_cursor, the read beacon, and delta sync that keeps its token (sync.ts).
import createClient from "./vendor/openapi-fetch.js";
// Delta sync for offline apps (sync.ts).
import { Syncer } from "./sync.js";
export { Syncer, SyncError } from "./sync.js";
/** HeraldError is a response that was not a success, with its RFC 9457 problem when it had one. */
export class HeraldError extends Error {
    status;
    problem;
    constructor(status, problem, message) {
        super(message ?? (problem ? `${problem.status} ${problem.title}: ${problem.detail ?? ""}` : `HTTP ${status}`));
        this.name = "HeraldError";
        this.status = status;
        this.problem = problem;
    }
}
function isProblem(v) {
    return typeof v === "object" && v !== null && "status" in v && "title" in v && "type" in v;
}
/** unwrap returns the data of an openapi-fetch result, or throws a HeraldError. */
export function unwrap(result) {
    if (result.data !== undefined) {
        return result.data;
    }
    throw new HeraldError(result.response.status, isProblem(result.error) ? result.error : undefined);
}
/** pages yields each page of a cursor-paged list, following meta.next_cursor until it is absent. */
export async function* pages(fetchPage) {
    let cursor;
    do {
        const page = await fetchPage(cursor);
        yield page;
        cursor = page.meta.next_cursor || undefined;
    } while (cursor !== undefined);
}
const authPaths = ["/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout"];
const viewsPath = "/api/v1/articles/{id}/views";
/** Herald is one API endpoint with its credentials and revalidation cache. */
export class Herald {
    api;
    baseUrl;
    apiToken;
    current;
    onSession;
    fetchImpl;
    refreshing;
    retries = new Map();
    cache = new Map();
    cacheEntries;
    constructor(options) {
        this.baseUrl = options.baseUrl.replace(/\/+$/, "");
        this.apiToken = options.apiToken;
        this.current = options.session;
        this.onSession = options.onSession;
        this.cacheEntries = options.cacheEntries ?? 200;
        const fetchImpl = options.fetch ?? ((input) => globalThis.fetch(input));
        this.fetchImpl = fetchImpl;
        this.api = createClient({ baseUrl: this.baseUrl, fetch: fetchImpl });
        this.api.use(this.credentials());
        if (options.revalidate ?? true) {
            this.api.use(this.revalidation());
        }
    }
    /** syncer returns a delta sync over this client that keeps its token between calls (see Syncer). */
    syncer(options = {}) {
        return new Syncer(this, options);
    }
    /** The current login session, if any. */
    get session() {
        return this.current;
    }
    setSession(session) {
        this.current = session;
        this.onSession?.(session);
    }
    /** login signs in with a password and keeps the session (refreshed on 401 from then on). */
    async login(email, password) {
        const tokens = unwrap(await this.api.POST("/api/v1/auth/login", { body: { email, password } }));
        const session = { accessToken: tokens.access_token, refreshToken: tokens.refresh_token };
        this.setSession(session);
        return session;
    }
    /** logout revokes the refresh token and forgets the session. */
    async logout() {
        const session = this.current;
        this.setSession(undefined);
        if (session) {
            const { response } = await this.api.POST("/api/v1/auth/logout", { body: { refresh_token: session.refreshToken } });
            if (!response.ok) {
                throw new HeraldError(response.status, undefined);
            }
        }
    }
    /**
     * refresh rotates the session's tokens now. Concurrent callers share one request: the
     * refresh token is single-use, so two refreshes would log each other out.
     */
    refresh() {
        this.refreshing ??= this.doRefresh().finally(() => {
            this.refreshing = undefined;
        });
        return this.refreshing;
    }
    async doRefresh() {
        const session = this.current;
        if (!session) {
            return false;
        }
        const { data } = await this.api.POST("/api/v1/auth/refresh", { body: { refresh_token: session.refreshToken } });
        if (data === undefined) {
            this.setSession(undefined);
            return false;
        }
        this.setSession({ accessToken: data.access_token, refreshToken: data.refresh_token });
        return true;
    }
    token() {
        return this.apiToken ?? this.current?.accessToken;
    }
    /** credentials sends the API token or access token, and retries once after a refresh on 401. */
    credentials() {
        return {
            onRequest: ({ request, schemaPath, id }) => {
                const token = this.token();
                if (token === undefined || request.headers.has("Authorization") || authPaths.includes(schemaPath)) {
                    return undefined;
                }
                request.headers.set("Authorization", `Bearer ${token}`);
                if (this.apiToken === undefined) {
                    this.retries.set(id, request.clone());
                }
                return request;
            },
            onResponse: async ({ response, id }) => {
                const retry = this.retries.get(id);
                this.retries.delete(id);
                if (response.status !== 401 || retry === undefined) {
                    return undefined;
                }
                // A 401 that arrives after another request already refreshed is retried with the new
                // token; refreshing again would spend the new refresh token for nothing.
                const sent = retry.headers.get("Authorization");
                const current = this.token();
                const refreshed = current !== undefined && sent !== `Bearer ${current}`;
                if (!refreshed && !(await this.refresh())) {
                    return undefined;
                }
                const token = this.token();
                if (token !== undefined) {
                    retry.headers.set("Authorization", `Bearer ${token}`);
                }
                return this.fetchImpl(retry);
            },
            onError: ({ id }) => {
                this.retries.delete(id);
            },
        };
    }
    /**
     * revalidation remembers public GET responses that carry an ETag and asks again with
     * If-None-Match; a 304 is answered with the remembered body as a 200 (marked
     * X-Herald-Revalidated: true), so callers see data, not an error.
     */
    revalidation() {
        return {
            onRequest: ({ request }) => {
                if (request.method !== "GET" || request.headers.has("Authorization")) {
                    return undefined;
                }
                const hit = this.cache.get(request.url);
                if (hit !== undefined && !request.headers.has("If-None-Match")) {
                    request.headers.set("If-None-Match", hit.etag);
                }
                return request;
            },
            onResponse: async ({ request, response }) => {
                if (request.method !== "GET" || request.headers.has("Authorization")) {
                    return undefined;
                }
                const hit = this.cache.get(request.url);
                if (response.status === 304 && hit !== undefined) {
                    this.cache.delete(request.url);
                    this.cache.set(request.url, hit); // most recently used last
                    const headers = new Headers(hit.headers);
                    headers.set("X-Herald-Revalidated", "true");
                    return new Response(hit.body, { status: 200, statusText: "OK", headers });
                }
                const etag = response.headers.get("ETag");
                if (response.status !== 200 || etag === null || /no-store/.test(response.headers.get("Cache-Control") ?? "")) {
                    return undefined;
                }
                const body = await response.clone().text();
                const headers = [];
                response.headers.forEach((value, key) => {
                    if (key !== "content-encoding" && key !== "content-length") {
                        headers.push([key, value]);
                    }
                });
                this.cache.delete(request.url);
                this.cache.set(request.url, { etag, body, headers });
                for (const key of this.cache.keys()) {
                    if (this.cache.size <= this.cacheEntries) {
                        break;
                    }
                    this.cache.delete(key);
                }
                return undefined;
            },
        };
    }
    /** articlePages yields pages of published articles in cursor mode, following meta.next_cursor. */
    articlePages(query = {}) {
        return pages(async (cursor) => unwrap(await this.api.GET("/api/v1/articles", { params: { query: { ...query, cursor } } })));
    }
    /**
     * countRead sends the read beacon for an article: navigator.sendBeacon in a browser (it
     * survives the page closing), else a keepalive POST. It resolves once the beacon is queued
     * or, without sendBeacon, answered; it never throws for a read that was not counted.
     */
    async countRead(articleId) {
        const path = viewsPath.replace("{id}", encodeURIComponent(articleId));
        const nav = typeof navigator === "undefined" ? undefined : navigator;
        if (nav !== undefined && typeof nav.sendBeacon === "function") {
            if (nav.sendBeacon(this.baseUrl + path, "")) {
                return true;
            }
        }
        try {
            const { response } = await this.api.POST(viewsPath, {
                params: { path: { id: articleId } },
                keepalive: true,
            });
            return response.status === 202;
        }
        catch {
            return false;
        }
    }
}
/** createHerald is new Herald(options). */
export function createHerald(options) {
    return new Herald(options);
}
