import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createLogger } from '../../platform/logger';

describe('the logger', () => {
  it('when a request with a bearer token is logged, then the token is censored and the rest is kept', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlg-log-')), 'service.log');
    const logger = createLogger({ logLevel: 'info', logFile: file });
    logger.info(
      { req: { url: '/v1/search', headers: { authorization: 'Bearer secret-reader', 'x-mlflow-signature': 'v1,abc' } } },
      'request',
    );
    const line = fs.readFileSync(file, 'utf8');
    assert.doesNotMatch(line, /secret-reader|v1,abc/);
    assert.match(line, /\[Redacted\]/);
    assert.match(line, /\/v1\/search/);
  });
});
