import assert from 'node:assert/strict';
import fs from 'node:fs';
import { globSync } from 'node:fs';
import { describe, it } from 'node:test';

/** What counts as speaking SQL: the query builder's entry points, raw `sql` templates, importing kysely. */
const SQL = /from 'kysely'|\.selectFrom\(|\.insertInto\(|\.updateTable\(|\.deleteFrom\(|\bsql`|\bsql</;

/** Folders allowed to speak SQL: the store, its frozen migrations, and the tests and benchmarks that check it. */
const ALLOWED = /^(store|migrations|test|bench)\//;

describe('the SQL boundary', () => {
  it('when the source tree is read, then no file outside store/ (and migrations) speaks SQL', () => {
    const offenders = globSync('**/*.ts', { exclude: (name) => name === 'node_modules' })
      .filter((file) => !ALLOWED.test(file))
      .filter((file) => SQL.test(fs.readFileSync(file, 'utf8')));
    assert.deepEqual(offenders, []);
  });
});
