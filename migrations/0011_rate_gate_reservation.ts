import { sql, type Kysely } from 'kysely';

/**
 * The rate gate hands out slots instead of being polled. A caller is given the next free slot of its
 * source (no earlier than now, and at least window ÷ limit after the latest slot given) and the slot is
 * recorded at once: the caller sleeps until it and goes, without asking again. Calls leave in the
 * order they asked, exactly spaced, so the gate's rate is the configured one (less its margin), not
 * that less every caller's polling delay. A slot further away than `max_wait_ms` is not given: the
 * answer is minus the wait, and the caller is refused (SOURCE_RATE_LIMITED, retried later).
 *
 * Spacing alone keeps any window of `window_ms` to at most `call_limit` calls: consecutive slots are
 * at least window ÷ limit apart.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time and see the database untyped
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function rate_gate_reserve(gate_source text, call_limit int, window_ms int, max_wait_ms int)
    returns int language plpgsql as $$
    declare
      latest timestamptz;
      now_at timestamptz := clock_timestamp();
      slot timestamptz;
      wait_ms int;
    begin
      perform pg_advisory_xact_lock(hashtextextended('rate-gate:' || gate_source, 0));
      select max(at) into latest from source_calls where source = gate_source and at > now_at - make_interval(secs => window_ms / 1000.0);
      slot := greatest(now_at, latest + make_interval(secs => window_ms / 1000.0 / greatest(call_limit, 1)));
      wait_ms := ceil(extract(epoch from (slot - now_at)) * 1000)::int;
      if wait_ms > max_wait_ms then
        return -greatest(wait_ms, 1);
      end if;
      insert into source_calls (source, at) values (gate_source, slot);
      return wait_ms;
    end
    $$
  `.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists rate_gate_reserve(text, int, int, int)`.execute(db);
}
