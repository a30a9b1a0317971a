import fs from 'node:fs';
import path from 'node:path';
import { ensureDir, run, StackError, which } from './shell';

function requireMaven(): string {
  const mvn = which('mvn');
  if (!mvn) throw new StackError('Maven (mvn) is needed to fetch Elasticsearch and Kafka from Maven Central: apt-get install maven');
  return mvn;
}

/** Copies one artifact from Maven Central into a directory. */
export async function copyArtifact(coordinates: string, outputDir: string): Promise<void> {
  ensureDir(outputDir);
  await run(requireMaven(), ['-q', '-B', 'dependency:copy', `-Dartifact=${coordinates}`, `-DoutputDirectory=${outputDir}`]);
}

/** Copies the runtime dependency closure of the given artifacts into a directory, through a small pom. */
export async function copyRuntimeClosure(
  artifacts: readonly { groupId: string; artifactId: string; version: string }[],
  workDir: string,
  outputDir: string,
): Promise<void> {
  ensureDir(workDir);
  const dependencies = artifacts
    .map(
      (a) =>
        `<dependency><groupId>${a.groupId}</groupId><artifactId>${a.artifactId}</artifactId><version>${a.version}</version></dependency>`,
    )
    .join('');
  fs.writeFileSync(
    path.join(workDir, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>mlg.local</groupId><artifactId>stack</artifactId><version>1</version><packaging>pom</packaging><dependencies>${dependencies}</dependencies></project>\n`,
  );
  await run(requireMaven(), ['-q', '-B', 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${outputDir}`], {
    cwd: workDir,
  });
}

/** The JDK that `java` on PATH belongs to. */
export function javaHome(): string {
  const java = which('java');
  if (!java) throw new StackError('A JDK 17+ is needed for Elasticsearch and Kafka: apt-get install openjdk-17-jdk-headless');
  return path.dirname(path.dirname(fs.realpathSync(java)));
}
