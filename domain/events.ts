/**
 * A thin event: a notification that something changed at a source, never the state itself. It names
 * its type and carries the id in the field its type names; `event_id` and `emitted_at` are optional.
 */
export interface ThinEvent {
  readonly event_type: string;
  readonly event_id?: string;
  readonly emitted_at?: string;
  readonly [idField: string]: string | undefined;
}
