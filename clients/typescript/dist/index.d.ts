import type { Client } from "./vendor/openapi-fetch.js";
import type { components, operations, paths } from "./schema.js";
export type { components, operations, paths };
export type Schemas = components["schemas"];
export type Article = Schemas["Article"];
export type ArticleList = Schemas["ArticleList"];
export type ListMeta = Schemas["ListMeta"];
export type Category = Schemas["Category"];
export type Locale = Schemas["Locale"];
export type Problem = Schemas["Problem"];
export type AdminArticle = Schemas["AdminArticle"];
export type TokenResponse = Schemas["TokenResponse"];
export type ArticleQuery = NonNullable<operations["listArticles"]["parameters"]["query"]>;
/** The typed client: api.GET("/api/v1/articles", { params: { query: { locale: "en" } } }). */
export type HeraldAPI = Client<paths>;
import { Syncer } from "./sync.js";
import type { SyncOptions } from "./sync.js";
export { Syncer, SyncError } from "./sync.js";
export type { SyncOptions, SyncPage, SyncRun, SyncSource, SyncTombstone } from "./sync.js";
/** Tokens of a signed-in user, as returned by login and refresh. */
export interface Session {
    accessToken: string;
    refreshToken: string;
}
export interface HeraldOptions {
    /** Where Herald answers, e.g. https://cms.example (its HERALD_PUBLIC_URL); "" for the page's own origin. */
    baseUrl: string;
    /** An API token (hrld_pat_… or hrld_svc_…), sent as "Authorization: Bearer <token>" on every request. */
    apiToken?: string;
    /** A session to resume (from an earlier login); login() sets one. */
    session?: Session;
    /** Called whenever the session changes (login, refresh, logout, a refresh that failed), to persist it. */
    onSession?: (session: Session | undefined) => void;
    /** Revalidate cached public GETs with If-None-Match (default true); a 304 answers with the cached body. */
    revalidate?: boolean;
    /** Entries the revalidation cache keeps (default 200). */
    cacheEntries?: number;
    /** fetch to use (default globalThis.fetch). */
    fetch?: (input: Request) => Promise<Response>;
}
/** HeraldError is a response that was not a success, with its RFC 9457 problem when it had one. */
export declare class HeraldError extends Error {
    readonly status: number;
    readonly problem: Problem | undefined;
    constructor(status: number, problem: Problem | undefined, message?: string);
}
/** unwrap returns the data of an openapi-fetch result, or throws a HeraldError. */
export declare function unwrap<T>(result: {
    data?: T;
    error?: unknown;
    response: Response;
}): T;
/** pages yields each page of a cursor-paged list, following meta.next_cursor until it is absent. */
export declare function pages<T extends {
    meta: {
        next_cursor?: string;
    };
}>(fetchPage: (cursor: string | undefined) => Promise<T>): AsyncGenerator<T, void, undefined>;
/** Herald is one API endpoint with its credentials and revalidation cache. */
export declare class Herald {
    readonly api: HeraldAPI;
    readonly baseUrl: string;
    private readonly apiToken;
    private current;
    private readonly onSession;
    private readonly fetchImpl;
    private refreshing;
    private readonly retries;
    private readonly cache;
    private readonly cacheEntries;
    constructor(options: HeraldOptions);
    /** syncer returns a delta sync over this client that keeps its token between calls (see Syncer). */
    syncer(options?: SyncOptions): Syncer;
    /** The current login session, if any. */
    get session(): Session | undefined;
    private setSession;
    /** login signs in with a password and keeps the session (refreshed on 401 from then on). */
    login(email: string, password: string): Promise<Session>;
    /** logout revokes the refresh token and forgets the session. */
    logout(): Promise<void>;
    /**
     * refresh rotates the session's tokens now. Concurrent callers share one request: the
     * refresh token is single-use, so two refreshes would log each other out.
     */
    refresh(): Promise<boolean>;
    private doRefresh;
    private token;
    /** credentials sends the API token or access token, and retries once after a refresh on 401. */
    private credentials;
    /**
     * revalidation remembers public GET responses that carry an ETag and asks again with
     * If-None-Match; a 304 is answered with the remembered body as a 200 (marked
     * X-Herald-Revalidated: true), so callers see data, not an error.
     */
    private revalidation;
    /** articlePages yields pages of published articles in cursor mode, following meta.next_cursor. */
    articlePages(query?: Omit<ArticleQuery, "cursor" | "page">): AsyncGenerator<ArticleList, void, undefined>;
    /**
     * countRead sends the read beacon for an article: navigator.sendBeacon in a browser (it
     * survives the page closing), else a keepalive POST. It resolves once the beacon is queued
     * or, without sendBeacon, answered; it never throws for a read that was not counted.
     */
    countRead(articleId: string): Promise<boolean>;
}
/** createHerald is new Herald(options). */
export declare function createHerald(options: HeraldOptions): Herald;
