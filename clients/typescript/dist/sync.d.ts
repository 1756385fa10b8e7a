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
export declare class SyncError extends Error {
    readonly status: number;
    constructor(status: number, detail: string);
}
/**
 * Syncer runs syncs and keeps the token. Each call to sync() reads every page up to the
 * next next_sync_token and hands each page to apply, in order: apply upserts (articles,
 * categories, tags, media, settings) and drops tombstones (deleted_*). The token advances
 * only after apply returned, so a page apply failed on is read again next time.
 */
export declare class Syncer {
    private tokenValue;
    private readonly herald;
    private readonly options;
    constructor(herald: SyncSource, options?: SyncOptions);
    /** The token of the last completed sync (persist it), if any. */
    get token(): string | undefined;
    /** sync reads every page up to the next sync token, passing each to apply; it returns how many pages it read. */
    sync(apply: (page: SyncPage) => void | Promise<void>, run?: SyncRun): Promise<number>;
}
