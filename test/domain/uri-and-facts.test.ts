import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, diffFacts } from '../../domain/facts';
import { formatUri, parseUri, UriError, uriOf, uriPattern } from '../../domain/uri';
import { ENTITY_TYPES, GRAPH_SOURCES } from '../../domain/vocabulary';
import { entityWorkflowId, parseEntityWorkflowId } from '../../domain/workflow-ids';

describe('URIs', () => {
  it('when an id holds a slash, then it is percent-encoded and parses back', () => {
    const uri = uriOf('dataset', 'warehouse/raw');
    assert.equal(uri, 'mlg://dataset/datasets/warehouse%2Fraw');
    assert.deepEqual(parseUri(uri), { type: 'dataset', source: 'datasets', nativeId: 'warehouse/raw' });
    assert.equal(formatUri(parseUri(uri)), uri);
  });

  it('when a URI is malformed, then parsing says why', () => {
    assert.throws(() => parseUri('http://x/y/z'), UriError);
    assert.throws(() => parseUri('mlg://model/datasets/x'), /come from registry/);
    assert.throws(() => parseUri('mlg://widget/registry/x'), /not an entity type/);
    assert.throws(() => parseUri('mlg://model/registry'), /form/);
  });

  it('when a URI matches the documented pattern, then it parses, and every pair the pattern refuses does not', () => {
    const pattern = new RegExp(uriPattern('acme'));
    for (const type of ENTITY_TYPES)
      for (const source of GRAPH_SOURCES) {
        const uri = formatUri({ type, source, nativeId: 'a b/ü%' }, 'acme');
        const parses = (() => {
          try {
            return parseUri(uri, 'acme') !== undefined;
          } catch {
            return false;
          }
        })();
        assert.equal(pattern.test(uri), parses, uri);
      }
    assert.equal(pattern.test('mlg://model/registry/x'), false, 'another scheme');
  });

  it('when the scheme is configured, then URIs use it', () => {
    assert.equal(uriOf('team', 'personalization', 'acme'), 'acme://team/identity/personalization');
  });
});

describe('entity workflow ids', () => {
  it('then an id parses back to its subject', () => {
    const subject = { type: 'user' as const, source: 'identity' as const, lookupKey: 'alice@netflix.com' };
    assert.deepEqual(parseEntityWorkflowId(entityWorkflowId(subject)), subject);
    assert.throws(() => parseEntityWorkflowId('sweep-1'));
  });
});

describe('facts', () => {
  it('when nothing changed, then the diff is empty, whatever the key order', () => {
    assert.deepEqual(diffFacts({ name: 'a', 'attributes.x': { b: 1, a: 2 } }, { 'attributes.x': { a: 2, b: 1 }, name: 'a' }), []);
    assert.equal(canonicalJson({ b: [1, { d: 1, c: 2 }], a: null }), '{"a":null,"b":[1,{"c":2,"d":1}]}');
  });

  it('when a value changed and one vanished, then one is asserted and the other retracted', () => {
    assert.deepEqual(diffFacts({ name: 'a', 'attributes.gone': 1 }, { name: 'b' }), [
      { attribute: 'name', value: 'b', op: 'assert' },
      { attribute: 'attributes.gone', value: 1, op: 'retract' },
    ]);
  });
});
