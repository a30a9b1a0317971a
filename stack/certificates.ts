import fs from 'node:fs';
import path from 'node:path';
import { ensureDir, isRoot, run, StackError, which } from './shell';

/** A certificate and its key, as PEM files. */
export interface Issued {
  readonly cert: string;
  readonly key: string;
}

export interface Certificates {
  /** The local CA's certificate: what clients trust. */
  readonly ca: string;
  /** A certificate for a server on this machine (`localhost` and 127.0.0.1) or a client, by name. */
  issue(name: string, options?: { readonly owner?: string | undefined }): Promise<Issued>;
}

async function ensureOpenssl(): Promise<void> {
  if (which('openssl')) return;
  if (!isRoot() || !which('apt-get')) throw new StackError('openssl is not installed and could not be installed (apt-get install openssl)');
  await run('apt-get', ['update', '-qq']);
  await run('apt-get', ['install', '-y', '-qq', 'openssl'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/**
 * A certificate authority of its own in `dir`, made once with openssl, and the certificates it
 * issues: what the secure profile's servers present and its clients are trusted by. Each leaf names
 * `localhost` and 127.0.0.1, and may serve and be a client (mTLS).
 */
export async function certificateAuthority(dir: string): Promise<Certificates> {
  await ensureOpenssl();
  ensureDir(dir);
  const ca = path.join(dir, 'ca.pem');
  const caKey = path.join(dir, 'ca.key');
  if (!fs.existsSync(ca) || !fs.existsSync(caKey)) {
    await run('openssl', [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650'],
      ...['-keyout', caKey, '-out', ca, '-subj', '/CN=mlg local CA'],
      ...['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    ]);
  }
  const extensions = path.join(dir, 'leaf.cnf');
  fs.writeFileSync(
    extensions,
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth,clientAuth',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '',
    ].join('\n'),
  );
  return {
    ca,
    async issue(name, options = {}) {
      const cert = path.join(dir, `${name}.pem`);
      const key = path.join(dir, `${name}.key`);
      if (!fs.existsSync(cert) || !fs.existsSync(key)) {
        const request = path.join(dir, `${name}.csr`);
        await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-keyout', key, '-out', request, '-subj', `/CN=${name}`]);
        await run('openssl', [
          ...['x509', '-req', '-in', request, '-CA', ca, '-CAkey', caKey, '-CAcreateserial', '-sha256'],
          ...['-days', '825', '-extfile', extensions, '-out', cert],
        ]);
        fs.rmSync(request);
        // A server that runs as its own user (PostgreSQL) must own its key, readable by it alone.
        fs.chmodSync(key, 0o600);
        if (options.owner && isRoot()) await run('chown', [options.owner, key, cert]);
      }
      return { cert, key };
    },
  };
}
