import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { copyRuntimeClosure, javaHome } from './maven';
import { cacheDir, logFile, pidFile, serverDir } from './paths';
import type { Profile } from './profiles';
import { readSecret, securePaths } from './secure';
import type { StackServer } from './server';
import { ensureDir, isAlive, once, portOpen, readPid, run, spawnDetached, stopPidFile, waitUntil } from './shell';
import { VERSIONS } from './versions';

const installDir = (): string => path.join(cacheDir(), `kafka-${VERSIONS.kafka}`);
const classpath = (): string => `${path.join(installDir(), 'libs')}/*`;

/**
 * The broker's listener: plaintext, or on the secure profile SASL_SSL only, with SCRAM users made at
 * format time (the service's `mlg` and the broker's own) and its certificate from the profile's CA.
 * The controller's listener is the broker's own business, on loopback.
 */
function listenerProperties(profile: Profile, dir: string): string[] {
  const broker = `127.0.0.1:${profile.kafkaPort}`;
  const controller = `CONTROLLER://127.0.0.1:${profile.kafkaControllerPort}`;
  if (!profile.secure)
    return [
      `listeners=PLAINTEXT://${broker},${controller}`,
      `advertised.listeners=PLAINTEXT://${broker}`,
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    ];
  const tls = securePaths(profile);
  const { cert, key } = tls.cert('kafka');
  // A PEM keystore is one file: the key, then the certificate.
  const keystore = path.join(dir, 'keystore.pem');
  fs.writeFileSync(keystore, `${fs.readFileSync(key, 'utf8')}${fs.readFileSync(cert, 'utf8')}`, { mode: 0o600 });
  return [
    `listeners=SASL_SSL://${broker},${controller}`,
    `advertised.listeners=SASL_SSL://${broker}`,
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL',
    'inter.broker.listener.name=SASL_SSL',
    'sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256',
    'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
    // Each enabled mechanism needs its login (the broker's own user, for the connections between brokers).
    ...['scram-sha-512', 'scram-sha-256'].map(
      (mechanism) =>
        `listener.name.sasl_ssl.${mechanism}.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="broker" password="${readSecret(profile, 'kafka-broker-password')}";`,
    ),
    'ssl.keystore.type=PEM',
    `ssl.keystore.location=${keystore}`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${tls.ca}`,
  ];
}

/** The SCRAM users of the secure profile, as the storage tool adds them when it formats the log. */
const scramUsers = (profile: Profile): string[] =>
  profile.secure
    ? [
        ['mlg', readSecret(profile, 'kafka-password')],
        ['broker', readSecret(profile, 'kafka-broker-password')],
      ].flatMap(([name, password]) =>
        ['SCRAM-SHA-512', 'SCRAM-SHA-256'].flatMap((mechanism) => ['--add-scram', `${mechanism}=[name=${name},password=${password}]`]),
      )
    : [];

function serverProperties(profile: Profile, dataDir: string, dir: string): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.bootstrap.servers=127.0.0.1:${profile.kafkaControllerPort}`,
    ...listenerProperties(profile, dir),
    'controller.listener.names=CONTROLLER',
    `log.dirs=${dataDir}`,
    'num.partitions=4',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=4',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=true',
    '',
  ].join('\n');
}

/**
 * A cluster id as Kafka makes one: 16 random bytes in base64url. Kafka's own `Uuid.randomUuid` draws
 * again when the text starts with "-", because the storage tool's argument parser would read it as a
 * flag; so do we.
 */
export function newClusterId(random: () => Buffer = () => randomBytes(16)): string {
  for (;;) {
    const id = random().toString('base64url').slice(0, 22);
    if (!id.startsWith('-')) return id;
  }
}

const LOG4J2 = `Configuration:
  Appenders:
    Console:
      name: STDOUT
      PatternLayout:
        pattern: "[%d] %p %m (%c)%n"
  Loggers:
    Root:
      level: WARN
      AppenderRef:
        - ref: STDOUT
    Logger:
      - name: kafka.server.KafkaRaftServer
        level: INFO
`;

export const kafka: StackServer = {
  name: 'kafka',

  async provision() {
    await once(path.join(installDir(), '.installed'), async () => {
      await copyRuntimeClosure(
        [
          { groupId: 'org.apache.kafka', artifactId: 'kafka_2.13', version: VERSIONS.kafka },
          { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-slf4j-impl', version: VERSIONS.log4j },
          { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-core', version: VERSIONS.log4j },
          { groupId: 'com.fasterxml.jackson.dataformat', artifactId: 'jackson-dataformat-yaml', version: '2.19.0' },
        ],
        path.join(installDir(), 'pom'),
        path.join(installDir(), 'libs'),
      );
      fs.writeFileSync(path.join(installDir(), 'log4j2.yaml'), LOG4J2);
    });
  },

  async start(profile) {
    if (await this.healthy(profile)) return;
    const dir = serverDir(profile.name, 'kafka');
    const data = path.join(dir, 'data');
    const properties = path.join(dir, 'server.properties');
    const log = logFile(profile.name, 'kafka');
    const pid = pidFile(profile.name, 'kafka');
    ensureDir(dir);
    fs.writeFileSync(properties, serverProperties(profile, data, dir), { mode: 0o600 });
    const java = path.join(javaHome(), 'bin', 'java');
    if (!fs.existsSync(path.join(data, 'meta.properties'))) {
      await run(
        java,
        [
          ...['-cp', classpath(), 'kafka.tools.StorageTool', 'format', '-t', newClusterId(), '-c', properties, '--standalone'],
          ...scramUsers(profile),
        ],
        { secrets: profile.secure ? [readSecret(profile, 'kafka-password'), readSecret(profile, 'kafka-broker-password')] : [] },
      );
    }
    spawnDetached(
      java,
      [
        '-Xms256m',
        '-Xmx512m',
        '-XX:+UseG1GC',
        `-Dlog4j2.configurationFile=${path.join(installDir(), 'log4j2.yaml')}`,
        '-cp',
        classpath(),
        'kafka.Kafka',
        properties,
      ],
      { log, pidFile: pid, cwd: dir },
    );
    await waitUntil('Kafka', () => this.healthy(profile), { timeoutMs: 90_000, log, alive: () => isAlive(readPid(pid) ?? -1) });
  },

  async stop(profile) {
    await stopPidFile(pidFile(profile.name, 'kafka'), { timeoutMs: 60_000 });
  },

  async healthy(profile) {
    return portOpen(profile.kafkaPort);
  },
};
