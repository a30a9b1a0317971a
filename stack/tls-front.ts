/**
 * The secure profile's front for Elasticsearch: the distribution the stack provisions has no security
 * plugin, so this process is what production's security would be: HTTPS only, with the profile's
 * certificate, and every request must carry `Authorization: ApiKey <key>` (the key in a file); it
 * then passes the request to Elasticsearch on its private loopback port, as it came.
 *
 *   tsx stack/tls-front.ts <port> <target port> <cert> <key> <api key file>
 */
import { timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';

const [port, target, cert, key, apiKeyFile] = process.argv.slice(2) as [string, string, string, string, string];
const expected = Buffer.from(`ApiKey ${fs.readFileSync(apiKeyFile, 'utf8').trim()}`);

const authorized = (header: string | undefined): boolean => {
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
};

const refuse = (res: http.ServerResponse): void => {
  const body = JSON.stringify({
    error: { type: 'security_exception', reason: 'missing or wrong API key' },
    status: 401,
  });
  res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'ApiKey' });
  res.end(body);
};

const server = https.createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) }, (req, res) => {
  if (!authorized(req.headers.authorization)) return refuse(res);
  const { authorization: _key, ...headers } = req.headers;
  const upstream = http.request({ host: '127.0.0.1', port: Number(target), method: req.method, path: req.url, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { type: 'unavailable', reason: 'Elasticsearch is not answering' }, status: 502 }));
  });
  req.pipe(upstream);
});
server.listen(Number(port), '127.0.0.1');
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => server.close(() => process.exit(0)));
