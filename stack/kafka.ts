import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { copyRuntimeClosure, javaHome } from './maven';
import { cacheDir, logFile, pidFile, serverDir } from './paths';
import type { Profile } from './profiles';
import type { StackServer } from './server';
import { ensureDir, isAlive, once, portOpen, readPid, run, spawnDetached, stopPidFile, waitUntil } from './shell';
import { VERSIONS } from './versions';

const installDir = (): string => path.join(cacheDir(), `kafka-${VERSIONS.kafka}`);
const classpath = (): string => `${path.join(installDir(), 'libs')}/*`;

function serverProperties(profile: Profile, dataDir: string): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.bootstrap.servers=127.0.0.1:${profile.kafkaControllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${profile.kafkaPort},CONTROLLER://127.0.0.1:${profile.kafkaControllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${profile.kafkaPort}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
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
    fs.writeFileSync(properties, serverProperties(profile, data));
    const java = path.join(javaHome(), 'bin', 'java');
    if (!fs.existsSync(path.join(data, 'meta.properties'))) {
      await run(java, ['-cp', classpath(), 'kafka.tools.StorageTool', 'format', '-t', newClusterId(), '-c', properties, '--standalone']);
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
