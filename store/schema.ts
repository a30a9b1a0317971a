/**
 * The database as Kysely sees it: one interface per table. Columns the database fills are
 * `Generated<>`; nullable columns are `T | null`, never optional.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the tables arrive with the first migration of ingestion
export interface Database {}
