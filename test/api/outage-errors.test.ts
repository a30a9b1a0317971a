import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errors } from '@elastic/elasticsearch';
import pg from 'pg';
import { handedToTemporal, unavailableServer } from '../../api/problem';

/** Which errors mean "a server is away" (a 503 naming it) and which are bugs or bad requests (not). */
describe('errors that mean a server is unavailable', () => {
  const withCode = (message: string, code: string | number): Error => Object.assign(new Error(message), { code });

  it('when PostgreSQL refuses, restarts or drops the connection, then the server is postgres', () => {
    assert.equal(unavailableServer(withCode('connect ECONNREFUSED 127.0.0.1:5433', 'ECONNREFUSED')), 'postgres');
    assert.equal(unavailableServer(withCode('terminating connection due to administrator command', '57P01')), 'postgres');
    assert.equal(unavailableServer(withCode('the database system is starting up', '57P03')), 'postgres');
    assert.equal(unavailableServer(withCode('connection failure', '08006')), 'postgres');
    assert.equal(unavailableServer(new Error('Connection terminated unexpectedly')), 'postgres');
    assert.equal(unavailableServer(new Error('timeout exceeded when trying to connect')), 'postgres');
    assert.equal(unavailableServer(new AggregateError([withCode('refused', 'ECONNREFUSED')])), 'postgres');
  });

  it('when Elasticsearch does not answer or says it is not ready, then the server is elasticsearch', () => {
    assert.equal(unavailableServer(new errors.ConnectionError('connect ECONNREFUSED')), 'elasticsearch');
    assert.equal(unavailableServer(new errors.TimeoutError('Request timed out')), 'elasticsearch');
  });

  it('when Temporal is unreachable, then the server is temporal', () => {
    assert.equal(
      unavailableServer(
        Object.assign(new Error('Failed to signalWithStart Workflow'), {
          cause: withCode('14 UNAVAILABLE: No connection established', 14),
        }),
      ),
      'temporal',
    );
    assert.equal(unavailableServer(withCode('4 DEADLINE_EXCEEDED: Deadline exceeded', 4)), 'temporal');
  });

  it('when the error is a bad query or a bug, then no server is blamed', () => {
    assert.equal(unavailableServer(withCode('syntax error at or near "selec"', '42601')), null);
    assert.equal(unavailableServer(withCode('canceling statement due to statement timeout', '57014')), null);
    assert.equal(unavailableServer(new TypeError("Cannot read properties of undefined (reading 'x')")), null);
    assert.equal(unavailableServer(withCode('invalid argument', 3)), null);
  });

  it('when PostgreSQL refuses a statement on the way to Temporal, then it is not called a Temporal outage', async () => {
    const refused = new pg.DatabaseError('unsupported Unicode escape sequence', 0, 'error');
    await assert.rejects(handedToTemporal(Promise.reject(refused)), (error) => error === refused);
    await assert.rejects(handedToTemporal(Promise.reject(new Error('14 UNAVAILABLE'))), /temporal is unavailable/);
  });
});
