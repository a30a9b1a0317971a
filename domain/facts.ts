import type { Json, NormalizedEntity, Tag } from './entity';
import type { LifecycleState } from './vocabulary';

/** An entity's state as facts: one value per attribute name. */
export type FactMap = Record<string, Json>;

export interface FactChange {
  readonly attribute: string;
  readonly value: Json;
  readonly op: 'assert' | 'retract';
}

const ATTRIBUTE_PREFIX = 'attributes.';

/** The facts of an entity: its name, description, tags, lifecycle state and each attribute. */
export function factsOf(fields: {
  name: string;
  description: string | null;
  tags: readonly Tag[];
  state: LifecycleState;
  attributes: Readonly<Record<string, Json>>;
}): FactMap {
  const facts: FactMap = {
    name: fields.name,
    description: fields.description,
    tags: fields.tags.map((t) => ({ tag: t.tag, value: t.value })),
    state: fields.state,
  };
  for (const [key, value] of Object.entries(fields.attributes)) facts[`${ATTRIBUTE_PREFIX}${key}`] = value;
  return facts;
}

export const factsOfEntity = (entity: NormalizedEntity, state: LifecycleState): FactMap => factsOf({ ...entity, state });

/** The attributes held in a fact map, without the prefix. */
export function attributesFromFacts(facts: FactMap): Record<string, Json> {
  return Object.fromEntries(
    Object.entries(facts)
      .filter(([key]) => key.startsWith(ATTRIBUTE_PREFIX))
      .map(([key, value]) => [key.slice(ATTRIBUTE_PREFIX.length), value]),
  );
}

/** What must be asserted and retracted to go from the current facts to the desired ones; nothing if equal. */
export function diffFacts(current: FactMap, desired: FactMap): FactChange[] {
  const changes: FactChange[] = [];
  for (const [attribute, value] of Object.entries(desired)) {
    if (!(attribute in current) || canonicalJson(current[attribute] as Json) !== canonicalJson(value))
      changes.push({ attribute, value, op: 'assert' });
  }
  for (const [attribute, value] of Object.entries(current)) if (!(attribute in desired)) changes.push({ attribute, value, op: 'retract' });
  return changes;
}

/** JSON with object keys sorted: equal values give equal text, whatever their key order. */
export function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as Json)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const storable = (text: string): boolean => !text.includes('\u0000') && text.isWellFormed();

/**
 * Where a JSON value holds text that JSON stored in PostgreSQL cannot: the NUL character, or half of
 * a surrogate pair (not Unicode). The path of the first such string or key (`body` for the value
 * itself), or null when all of it can be stored.
 */
export function unstorableText(value: unknown, path = 'body'): string | null {
  if (typeof value === 'string') return storable(value) ? null : path;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, inner] of Object.entries(value)) {
    // A key that cannot be stored is named in JSON's escapes, so that the path itself can be.
    const at = `${path}.${storable(key) ? key : JSON.stringify(key)}`;
    if (!storable(key)) return at;
    const found = unstorableText(inner, at);
    if (found) return found;
  }
  return null;
}

/** The members of `desired` that `current` lacks, and of `current` that `desired` lacks, by key. */
export function diffByKey<C, D>(current: ReadonlyMap<string, C>, desired: ReadonlyMap<string, D>): { added: D[]; removed: C[] } {
  return {
    added: [...desired].filter(([key]) => !current.has(key)).map(([, value]) => value),
    removed: [...current].filter(([key]) => !desired.has(key)).map(([, value]) => value),
  };
}
