import { sql, type Kysely } from 'kysely';

/**
 * The rate gate also spaces calls: a call passes only once the window has room and the previous call
 * to the source is at least window ÷ limit old. Without spacing, the calls waiting for a window went
 * out as a burst, and a burst delayed on its way by a busy machine could arrive at the source in the
 * same second as the next window's first call.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time and see the database untyped
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function rate_gate_acquire(gate_source text, call_limit int, window_ms int)
    returns int language plpgsql as $$
    declare
      calls int;
      oldest timestamptz;
      latest timestamptz;
      window_length interval := make_interval(secs => window_ms / 1000.0);
      spacing interval := make_interval(secs => window_ms / 1000.0 / greatest(call_limit, 1));
      wait_until timestamptz;
    begin
      perform pg_advisory_xact_lock(hashtextextended('rate-gate:' || gate_source, 0));
      select count(*), min(at), max(at) into calls, oldest, latest
        from source_calls where source = gate_source and at > clock_timestamp() - window_length;
      wait_until := greatest(
        case when calls >= call_limit then oldest + window_length end,
        case when latest is not null then latest + spacing end);
      if wait_until is null or wait_until <= clock_timestamp() then
        insert into source_calls (source) values (gate_source);
        return 0;
      end if;
      return greatest(1, ceil(extract(epoch from (wait_until - clock_timestamp())) * 1000)::int);
    end
    $$
  `.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists rate_gate_acquire(text, int, int)`.execute(db);
}
