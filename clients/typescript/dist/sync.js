/** SyncError is a sync response that was not a success. */
export class SyncError extends Error {
    status;
    constructor(status, detail) {
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
    tokenValue;
    herald;
    options;
    constructor(herald, options = {}) {
        this.herald = herald;
        this.options = options;
        this.tokenValue = options.token;
    }
    /** The token of the last completed sync (persist it), if any. */
    get token() {
        return this.tokenValue;
    }
    /** sync reads every page up to the next sync token, passing each to apply; it returns how many pages it read. */
    async sync(apply, run = {}) {
        let pageToken = this.tokenValue;
        let read = 0;
        for (;;) {
            const wait = pageToken !== undefined && pageToken === this.tokenValue ? run.wait : undefined;
            const query = {};
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
