import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { certificateAuthority, type Issued } from './certificates';
import { serverDir } from './paths';
import type { Profile } from './profiles';

/** The servers of the secure profile, each with its certificate; `client` is the service's own (mTLS). */
const HOLDERS = ['postgres', 'kafka', 'elasticsearch', 'temporal', 'client'] as const;
export type CertificateHolder = (typeof HOLDERS)[number];

/** The secrets of the secure profile: random, made once, each in a file of its own. */
const SECRETS = ['postgres-password', 'kafka-password', 'kafka-broker-password', 'elasticsearch-api-key'] as const;
export type SecretName = (typeof SECRETS)[number];

/** Where the secure profile keeps its CA, certificates and secrets: known without reading anything. */
export function securePaths(profile: Profile) {
  const dir = serverDir(profile.name, 'tls');
  return {
    dir,
    ca: path.join(dir, 'ca.pem'),
    cert: (holder: CertificateHolder): Issued => ({ cert: path.join(dir, `${holder}.pem`), key: path.join(dir, `${holder}.key`) }),
    secret: (name: SecretName): string => path.join(dir, `${name}.secret`),
  };
}

/** The PostgreSQL server runs as its own user, which must own its key. */
const OWNERS: Partial<Record<CertificateHolder, string>> = { postgres: 'postgres' };

/**
 * Makes the secure profile's CA, a certificate for each server and for the service, and its
 * secrets, once (before its servers start, which read them); safe to call again.
 */
export async function ensureSecureMaterial(profile: Profile): Promise<void> {
  const paths = securePaths(profile);
  const authority = await certificateAuthority(paths.dir);
  for (const holder of HOLDERS) await authority.issue(holder, { owner: OWNERS[holder] });
  for (const name of SECRETS) {
    const file = paths.secret(name);
    if (!fs.existsSync(file)) fs.writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  }
}

/** A secret of the secure profile, as its servers are configured with it. */
export const readSecret = (profile: Profile, name: SecretName): string => fs.readFileSync(securePaths(profile).secret(name), 'utf8').trim();

/**
 * How the service reaches the secure profile's servers: TLS checked against the profile's CA
 * (PostgreSQL verify-full), SCRAM over TLS to Kafka, an API key over TLS to Elasticsearch, mTLS to
 * Temporal, every secret from its file.
 */
export function secureServiceEnv(profile: Profile): Record<string, string> {
  const paths = securePaths(profile);
  const client = paths.cert('client');
  return {
    MLG_POSTGRES_SSLMODE: 'verify-full',
    MLG_POSTGRES_CA_FILE: paths.ca,
    MLG_POSTGRES_PASSWORD_FILE: paths.secret('postgres-password'),
    MLG_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
    MLG_KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
    MLG_KAFKA_USERNAME: 'mlg',
    MLG_KAFKA_PASSWORD_FILE: paths.secret('kafka-password'),
    MLG_KAFKA_CA_FILE: paths.ca,
    MLG_ELASTICSEARCH_CA_FILE: paths.ca,
    MLG_ELASTICSEARCH_API_KEY_FILE: paths.secret('elasticsearch-api-key'),
    MLG_TEMPORAL_CA_FILE: paths.ca,
    MLG_TEMPORAL_CERT_FILE: client.cert,
    MLG_TEMPORAL_KEY_FILE: client.key,
    MLG_TEMPORAL_SERVER_NAME: 'localhost',
  };
}
