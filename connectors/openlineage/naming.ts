/**
 * Native ids of OpenLineage's datasets, jobs and runs: readable, and injective (two different
 * namespace and name pairs never share an id).
 *
 * A dataset or job is `{namespace}/{name}`, as the naming spec writes a physical dataset
 * (`postgres://db:5432/shop.public.orders`, `s3://bucket/key`, `bigquery/project.dataset.table`).
 * Splitting that text again at the first `/` after an optional `scheme://` must give back the same
 * pair; where it would not (a namespace holding a path, a `%`, or a name starting with `/` after a
 * bare `scheme:`), the namespace is percent-encoded, which leaves no `/` or `:` in it. Decoding
 * undoes either form, so the encoding is injective.
 */
const SPLIT = /^((?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?[^/]*)\/(.*)$/s;

function split(nativeId: string): { namespace: string; name: string } | null {
  const m = SPLIT.exec(nativeId);
  return m ? { namespace: m[1] as string, name: m[2] as string } : null;
}

export function qualifiedName(namespace: string, name: string): string {
  const plain = `${namespace}/${name}`;
  const back = split(plain);
  if (!namespace.includes('%') && back?.namespace === namespace && back.name === name) return plain;
  return `${encodeURIComponent(namespace)}/${name}`;
}

/** The namespace and name of a dataset's or job's native id. */
export function parseQualifiedName(nativeId: string): { namespace: string; name: string } | null {
  const parts = split(nativeId);
  if (!parts) return null;
  try {
    return { namespace: decodeURIComponent(parts.namespace), name: parts.name };
  } catch {
    return null;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A run's native id: its runId when that is a UUID (globally unique, as the spec asks); otherwise
 * (some producers send `run_id` or a counter) the runId within its job, so that two jobs' run "1"
 * stay two runs.
 */
export function runNativeId(runId: string, job: { namespace: string; name: string }): string {
  return UUID.test(runId) ? runId.toLowerCase() : `${qualifiedName(job.namespace, job.name)}/${runId}`;
}
