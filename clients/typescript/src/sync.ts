// Delta sync (GET /api/v1/sync) for apps that keep content offline: an initial sync in
// pages, then only what changed, deletions included. Syncer keeps the token between calls
// (and hands it to onToken to persist); a token the server no longer honours (410) makes it
// start over after telling the app to drop its copy.
import type { HeraldAPI } from "./index.js";
import type { components } from "./schema.js";

export type SyncPage = components["schemas"]["SyncPage"];
export type SyncTombstone = components["schemas"]["SyncTombstone"];

/** The part of Herald a Syncer needs: its typed client. */
export interface SyncSource {
  readonly api: HeraldAPI;
}

export interface SyncOptions {
  /** Locales to sync, e.g. ["en", "ru"] (default: the server's default locale). Fixed for the life of the token. */
  locales?: string[];
  /** A next_sync_token persisted from an earlier run; without one the first sync is an initial sync. */
  token?: string;
  /** Entities per page (1 to 200; default 50). */
  perPage?: number;
  /** Called with every new next_sync_token, to persist it. */
  onToken?: (token: string) => void;
  /** Called when the server refused the token as too old (410): drop the whole offline copy; an initial sync follows. */
  onReset?: () => void | Promise<void>;
}

export interface SyncRun {
  /** Long-poll: with a token, wait up to this many seconds (at most 30) for a change when there is none. */
  wait?: number;
  /** Aborts the request (a long-poll an app no longer needs). */
  signal?: AbortSignal;
}

/** SyncError is a sync response that was not a success. */
export class SyncError extends Error {
  readonly status: number;
  constructor(status: number, detail: string) {
    super(`sync: HTTP ${status}${detail ? ": " + detail : ""}`);
    this.name = "SyncError";
    this.status = status;
  }
}

/**
 * Syncer runs syncs and keeps the token. Each call to sync() reads every page up to the
 * next next_sync_token and hands each page to apply, in order: apply upserts (articles,
 * categories, tags, media, settings) and drops tombstones (deleted_*). The token advances
 * only after apply returned, so a page apply failed on is read again next time.
 */
export class Syncer {
  private tokenValue: string | undefined;
  private readonly herald: SyncSource;
  private readonly options: SyncOptions;

  constructor(herald: SyncSource, options: SyncOptions = {}) {
    this.herald = herald;
    this.options = options;
    this.tokenValue = options.token;
  }

  /** The token of the last completed sync (persist it), if any. */
  get token(): string | undefined {
    return this.tokenValue;
  }

  /** sync reads every page up to the next sync token, passing each to apply; it returns how many pages it read. */
  async sync(apply: (page: SyncPage) => void | Promise<void>, run: SyncRun = {}): Promise<number> {
    let pageToken = this.tokenValue;
    let read = 0;
    for (;;) {
      const wait = pageToken !== undefined && pageToken === this.tokenValue ? run.wait : undefined;
      const query: { locale?: string; sync_token?: string; per_page?: number; wait?: number } = {};
      if (pageToken === undefined && this.options.locales !== undefined) {
        query.locale = this.options.locales.join(",");
      }
      if (pageToken !== undefined) {
        query.sync_token = pageToken;
      }
      if (this.options.perPage !== undefined) {
        query.per_page = this.options.perPage;
      }
      if (wait !== undefined && wait > 0) {
        query.wait = Math.min(wait, 30);
      }
      const init = run.signal === undefined ? { params: { query } } : { params: { query }, signal: run.signal };
      const { data, error, response } = await this.herald.api.GET("/api/v1/sync", init);
      if (response.status === 410 && pageToken !== undefined) {
        // Too old: the server may have forgotten changes the copy needs. Start over.
        this.tokenValue = undefined;
        pageToken = undefined;
        await this.options.onReset?.();
        continue;
      }
      if (data === undefined) {
        const detail = typeof error === "object" && error !== null && "detail" in error ? String(error.detail) : "";
        throw new SyncError(response.status, detail);
      }
      await apply(data);
      read++;
      if (data.next_sync_token !== undefined) {
        this.tokenValue = data.next_sync_token;
        this.options.onToken?.(data.next_sync_token);
        return read;
      }
      if (data.next_page_token === undefined) {
        throw new SyncError(response.status, "a page with neither next_page_token nor next_sync_token");
      }
      pageToken = data.next_page_token;
    }
  }
}
