import { sql, type Kysely } from 'kysely';

/**
 * The rate gate's check-and-record as one statement: under the source's advisory lock, count the calls
 * in the sliding window and either record this one (answer 0) or answer how many milliseconds until
 * the oldest leaves the window. One round trip per source call instead of a transaction of four.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time and see the database untyped
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function rate_gate_acquire(gate_source text, call_limit int, window_ms int)
    returns int language plpgsql as $$
    declare
      calls int;
      wait_ms int;
    begin
      perform pg_advisory_xact_lock(hashtextextended('rate-gate:' || gate_source, 0));
      select count(*), ceil(extract(epoch from (min(at) + make_interval(secs => window_ms / 1000.0) - clock_timestamp())) * 1000)
        into calls, wait_ms
        from source_calls where source = gate_source and at > clock_timestamp() - make_interval(secs => window_ms / 1000.0);
      if calls < call_limit then
        insert into source_calls (source) values (gate_source);
        return 0;
      end if;
      return greatest(1, coalesce(wait_ms, 10));
    end
    $$
  `.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists rate_gate_acquire(text, int, int)`.execute(db);
}
