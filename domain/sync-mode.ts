/**
 * How a sync reads a source: `full` lists everything and then marks deleted what the listing no longer
 * returned; `incremental` lists only what changed since a time (deletions show only in a full listing).
 */
export type SyncMode = 'full' | 'incremental';
