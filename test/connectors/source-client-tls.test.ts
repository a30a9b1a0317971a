import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SourceClient } from '../../connectors/source-client';
import { isAppError } from '../../platform/errors';
import { certificateAuthority } from '../../stack/certificates';

const TOKEN = 'a-bearer-token-for-the-registry-0123';

describe('a source over TLS with a bearer token', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlg-source-tls-'));
  let server: https.Server;
  let base = '';
  let ca = '';
  const seen: (string | undefined)[] = [];

  before(async () => {
    const authority = await certificateAuthority(dir);
    const { cert, key } = await authority.issue('registry');
    ca = fs.readFileSync(authority.ca, 'utf8');
    server = https.createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) }, (req, res) => {
      seen.push(req.headers.authorization);
      const allowed = req.headers.authorization === `Bearer ${TOKEN}`;
      res.writeHead(allowed ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify(allowed ? { id: 'ranker' } : { error: 'unauthorized' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `https://localhost:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.close();
    fs.rmSync(dir, { recursive: true });
  });

  it("when the client trusts the source's CA and has its token, then it reads, sending the token", async () => {
    const client = new SourceClient('registry', base, { cacheMs: 0, timeoutMs: 5_000, token: TOKEN, ca });
    const outcome = await client.get('/models/ranker');
    assert.equal(outcome.status, 'found');
    assert.equal(seen.at(-1), `Bearer ${TOKEN}`);
  });

  it('when the CA is not given, then the certificate is refused as unavailable, and no message holds the token', async () => {
    const client = new SourceClient('registry', base, { cacheMs: 0, timeoutMs: 5_000, token: TOKEN });
    await assert.rejects(client.get('/models/ranker'), (error: unknown) => {
      assert.ok(isAppError(error) && error.code === 'SOURCE_UNAVAILABLE');
      assert.ok(!error.message.includes(TOKEN));
      return true;
    });
  });

  it('when the token is wrong, then the source refuses it and the call is not retried as an outage', async () => {
    const client = new SourceClient('registry', base, { cacheMs: 0, timeoutMs: 5_000, token: 'not-the-token-0123456789', ca });
    await assert.rejects(client.get('/models/ranker'), (error: unknown) => isAppError(error) && error.code === 'SOURCE_REJECTED');
  });
});
