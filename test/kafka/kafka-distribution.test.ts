import { chmodSync, copyFileSync, mkdirSync, readdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  fetchKafka,
  KafkaSetupError,
  locateKafka,
  pinnedKafkaVersion,
  type KafkaDistribution,
} from '../../src/kafka/index.js';
import { useTempDir } from '../support/temp-dir.js';

// The real fetched copy (CI runs `npm run kafka:fetch` first; here it is fetched if missing, never assumed).
let cached: KafkaDistribution;
beforeAll(() => {
  cached = fetchKafka({ env: { ...process.env, KAFKA_HOME: '' } }).distribution;
}, 600_000);

describe('the pinned Kafka', () => {
  it('is a 4.x version read from kafka/pom.xml', () => {
    expect(pinnedKafkaVersion()).toMatch(/^4\.\d+\.\d+$/);
  });

  it('is cached laid out like the release tarball, with the broker, the tools, the clients and a log4j2 binding', () => {
    const jars = readdirSync(cached.libsDir);
    const version = pinnedKafkaVersion();
    for (const jar of [
      `kafka_2.13-${version}.jar`,
      `kafka-tools-${version}.jar`,
      `kafka-clients-${version}.jar`,
      `kafka-server-${version}.jar`,
    ]) {
      expect(jars).toContain(jar);
    }
    expect(jars.some((j) => /^log4j-slf4j2-impl-.*\.jar$/.test(j))).toBe(true);
    expect(jars.some((j) => /^slf4j-api-2\..*\.jar$/.test(j))).toBe(true);
  });
});

describe('locating Kafka', () => {
  const temp = useTempDir();
  const env = (extra: NodeJS.ProcessEnv) => ({ ...process.env, KAFKA_HOME: '', ...extra });

  it('fetching again is a no-op once cached (no Maven run)', () => {
    const result = fetchKafka({ env: env({ KQ_MVN: '/nonexistent/mvn' }) });
    expect(result.fetched).toBe(false);
    expect(result.distribution.home).toBe(cached.home);
  });

  it('uses KAFKA_HOME laid out like a release tarball, reading the version from libs/', () => {
    const home = join(temp(), 'kafka_2.13-x');
    mkdirSync(home);
    symlinkSync(cached.libsDir, join(home, 'libs'));
    const found = locateKafka({ env: env({ KAFKA_HOME: home }) });
    expect(found).toMatchObject({ home, version: pinnedKafkaVersion(), source: 'KAFKA_HOME' });
  });

  it('refuses a KAFKA_HOME that is not a Kafka release', () => {
    expect(() => locateKafka({ env: env({ KAFKA_HOME: temp() }) })).toThrow(
      /KAFKA_HOME=.* does not look like an Apache Kafka release: no libs\/kafka_2\.13-<version>\.jar/,
    );
  });

  it('finds nothing in an empty cache', () => {
    expect(locateKafka({ cacheDir: temp(), env: env({}) })).toBeUndefined();
  });

  it('reports a cached copy with a truncated jar as corrupt and names the jar', () => {
    const version = pinnedKafkaVersion();
    const home = join(temp(), `kafka-${version}`);
    mkdirSync(join(home, 'libs'), { recursive: true });
    copyFileSync(join(cached.home, 'kq-fetch.json'), join(home, 'kq-fetch.json'));
    for (const jar of readdirSync(cached.libsDir)) copyFileSync(join(cached.libsDir, jar), join(home, 'libs', jar));
    truncateSync(join(home, 'libs', `kafka-clients-${version}.jar`), 1000);
    expect(() => locateKafka({ cacheDir: temp(), env: env({}) })).toThrow(
      new RegExp(`corrupt \\(libs/kafka-clients-${version.replace(/\./g, '\\.')}\\.jar is 1000 bytes`),
    );
  });

  it('reports an interrupted copy (no manifest) as corrupt', () => {
    mkdirSync(join(temp(), `kafka-${pinnedKafkaVersion()}`, 'libs'), { recursive: true });
    expect(() => locateKafka({ cacheDir: temp(), env: env({}) })).toThrow(/corrupt \(no readable kq-fetch\.json/);
  });

  it('repairs a corrupt cached copy by fetching again', () => {
    const home = join(temp(), `kafka-${pinnedKafkaVersion()}`);
    mkdirSync(join(home, 'libs'), { recursive: true });
    writeFileSync(join(home, 'kq-fetch.json'), 'not json');
    const lines: string[] = [];
    const result = fetchKafka({ cacheDir: temp(), env: env({}), log: (l) => lines.push(l) });
    expect(result.fetched).toBe(true);
    expect(lines[0]).toMatch(/corrupt.*fetching it again/);
    expect(locateKafka({ cacheDir: temp(), env: env({}) })?.home).toBe(home);
  }, 300_000);

  it('fails the first fetch without network with exit-3 advice (Maven offline, empty local repository)', () => {
    const mvn = join(temp(), 'mvn-offline');
    writeFileSync(mvn, `#!/bin/sh\nexec mvn -o -Dmaven.repo.local=${join(temp(), 'empty-m2')} "$@"\n`);
    chmodSync(mvn, 0o755);
    const attempt = () => fetchKafka({ cacheDir: join(temp(), 'cache'), env: env({ KQ_MVN: mvn }) });
    expect(attempt).toThrow(KafkaSetupError);
    expect(attempt).toThrow(/Maven could not fetch Apache Kafka .*first fetch needs the Maven registry/s);
    expect(locateKafka({ cacheDir: join(temp(), 'cache'), env: env({}) })).toBeUndefined();
  }, 120_000);

  it('says Maven is missing when it cannot be run', () => {
    expect(() => fetchKafka({ cacheDir: temp(), env: env({ KQ_MVN: join(temp(), 'no-mvn') }) })).toThrow(
      /cannot run Maven.*install Maven 3\.8\+, or .*KAFKA_HOME/,
    );
  });
});
