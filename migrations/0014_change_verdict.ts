import type { Kysely } from 'kysely';

/**
 * How each entity's latest change was counted for event loss: in which reconciliation period (the
 * start of the sync that opened it), and whether an event announced it. Event loss is counted once
 * per entity and period, and a later change in the same period must know what the earlier one
 * counted (an entity created in the period counted nothing).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time and see the database untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('entities').addColumn('change_period', 'timestamptz').addColumn('change_announced', 'boolean').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('entities').dropColumn('change_period').dropColumn('change_announced').execute();
}
