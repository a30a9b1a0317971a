import assert from 'node:assert/strict';
import fs, { globSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

/**
 * The map in docs/architecture.md is the rule: each folder's "may use" column, and the deliberate
 * exceptions listed under it, say which imports may cross folders. An import that the map does not
 * allow fails this test, naming the file, what it imports and the row to change.
 */
const MAP = 'docs/architecture.md';

interface Allowance {
  /** A folder (`store/`) or a file (`api/status.ts`), as the map writes it. */
  readonly target: string;
  readonly typesOnly: boolean;
}

interface Rules {
  readonly folders: Map<string, Allowance[] | 'everything'>;
  /** From a file or folder (as the map writes it) to what it may use beyond its folder's row. */
  readonly exceptions: Map<string, Allowance[]>;
}

const allowancesIn = (text: string): Allowance[] =>
  [...text.matchAll(/(types of )?`([^`]+)`/g)]
    .map(([, types, target = '']) => ({ target, typesOnly: Boolean(types) }))
    .filter(({ target }) => target.endsWith('/') || target.endsWith('.ts'));

function readMap(markdown: string): Rules {
  const folders = new Map<string, Allowance[] | 'everything'>();
  const exceptions = new Map<string, Allowance[]>();
  for (const line of markdown.split('\n')) {
    const [, folder, uses = ''] = /^\|\s*`([a-z-]+\/)`\s*\|[^|]*\|([^|]*)\|\s*$/.exec(line) ?? [];
    if (folder) folders.set(folder, /\beverything\b/.test(uses) ? 'everything' : allowancesIn(uses));
    const [, from, extra = ''] = /^- `([^`]+)` uses (.*?):/.exec(line) ?? [];
    if (from) exceptions.set(from, [...(exceptions.get(from) ?? []), ...allowancesIn(extra)]);
  }
  return { folders, exceptions };
}

interface CrossImport {
  readonly file: string;
  /** The imported module, relative to the root and without its extension (a folder for its index). */
  readonly target: string;
  readonly typesOnly: boolean;
}

function crossImports(file: string): CrossImport[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const found: CrossImport[] = [];
  for (const statement of source.statements) {
    if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement))) continue;
    const specifier = statement.moduleSpecifier;
    if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) continue;
    const target = path.normalize(path.join(path.dirname(file), specifier.text));
    if (target.split(path.sep)[0] === file.split(path.sep)[0]) continue;
    const typesOnly = ts.isImportDeclaration(statement) ? Boolean(statement.importClause?.isTypeOnly) : statement.isTypeOnly;
    found.push({ file, target, typesOnly });
  }
  return found;
}

const covers = (allowance: Allowance, { target, typesOnly }: CrossImport): boolean =>
  (allowance.typesOnly ? typesOnly : true) &&
  (allowance.target.endsWith('/') ? `${target}/`.startsWith(allowance.target) : target === allowance.target.replace(/\.ts$/, ''));

function violations(rules: Rules, files: readonly string[]): string[] {
  return files.flatMap((file) => {
    const folder = `${file.split('/')[0]}/`;
    const row = rules.folders.get(folder);
    if (row === undefined) return [`${file}: its folder ${folder} has no row in the map`];
    if (row === 'everything') return [];
    const extra = [...rules.exceptions]
      .filter(([from]) => (from.endsWith('/') ? file.startsWith(from) : file === from))
      .flatMap(([, a]) => a);
    return crossImports(file)
      .filter((imported) => ![...row, ...extra].some((allowance) => covers(allowance, imported)))
      .map(
        ({ target, typesOnly }) =>
          `${file} imports ${typesOnly ? 'types of ' : ''}${target}: not in the "may use" of ${folder} nor an exception`,
      );
  });
}

const sourceFiles = (): string[] =>
  globSync('**/*.{ts,tsx}', { exclude: (name) => name === 'node_modules' || name === 'dist' })
    .filter((file) => file.includes('/'))
    .sort();

describe('the architecture map', () => {
  const rules = readMap(fs.readFileSync(MAP, 'utf8'));

  it('when every source file is read, then each import across folders is one the map allows', () => {
    assert.deepEqual(violations(rules, sourceFiles()), []);
  });

  it('when a folder imports what its row does not allow, then that is a violation', () => {
    const dir = fs.mkdtempSync(path.join('domain', '.map-test-'));
    const file = path.join(dir, 'leak.ts');
    try {
      fs.writeFileSync(
        file,
        "import { createDatabase } from '../../store/database';\nimport type { Config } from '../../platform/config';\n",
      );
      const found = violations(rules, [file]);
      assert.equal(found.length, 2, found.join('\n'));
      assert.match(found.join('\n'), /imports store\/database/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when the map allows only types of a folder, then a value import of it is a violation', () => {
    const dir = fs.mkdtempSync(path.join('workflows', '.map-test-'));
    const file = path.join(dir, 'values.ts');
    try {
      fs.writeFileSync(file, "import type { Activities } from '../../activities';\nimport { createActivities } from '../../activities';\n");
      assert.deepEqual(violations(rules, [file]), [`${file} imports activities: not in the "may use" of workflows/ nor an exception`]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
