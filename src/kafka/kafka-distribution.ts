import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import envPaths from 'env-paths';
import { findJava } from './java-runtime.js';
import { KafkaSetupError } from './kafka-setup-error.js';

/**
 * An Apache Kafka laid out like its release tarball: `<home>/libs/*.jar`. Either a user's download (KAFKA_HOME)
 * or the copy `kq kafka fetch` resolved with Maven into the cache. Only `libs/` is used: kq writes each node's
 * server.properties and log4j2 config itself, so the tarball's bin/ and config/ are not needed.
 */
export interface KafkaDistribution {
  home: string;
  version: string;
  libsDir: string;
  /** `<libs>/*`, the JVM's wildcard class path. */
  classpath: string;
  source: 'KAFKA_HOME' | 'cache';
}

export interface KafkaLocateOptions {
  /** A Kafka version other than the one the Maven project pins. */
  version?: string;
  /** Where fetched Kafkas live; default `$KQ_KAFKA_CACHE`, else the user cache dir + `/kq`. */
  cacheDir?: string;
  env?: NodeJS.ProcessEnv;
}

/** The manifest written last into a fetched copy: a copy without it, or whose jars differ from it, is corrupt. */
const MANIFEST = 'kq-fetch.json';

interface FetchManifest {
  version: string;
  jars: Record<string, number>;
}

/**
 * The folder holding `kafka/pom.xml`: the kq package root, found from this module (src/ in tests, dist/ bundled),
 * else from the working directory (scripts bundled into a temp dir by scripts/run-ts.mjs run from the repo).
 */
export function mavenProjectDir(): string {
  for (const start of [dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    for (let dir = start; ; dir = dirname(dir)) {
      if (existsSync(join(dir, 'kafka', 'pom.xml')) && existsSync(join(dir, 'package.json'))) return join(dir, 'kafka');
      if (dirname(dir) === dir) break;
    }
  }
  throw new KafkaSetupError(`cannot find kafka/pom.xml above ${fileURLToPath(import.meta.url)} or ${process.cwd()}`);
}

/** The Kafka version kq pins: the `kafka.version` property of kafka/pom.xml, the one place it is written. */
export function pinnedKafkaVersion(): string {
  const pom = readFileSync(join(mavenProjectDir(), 'pom.xml'), 'utf8');
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom);
  if (!match) throw new KafkaSetupError('kafka/pom.xml has no <kafka.version> property');
  return match[1]!;
}

export function kafkaCacheDir(options: KafkaLocateOptions = {}): string {
  const env = options.env ?? process.env;
  if (options.cacheDir) return resolve(options.cacheDir);
  if (env.KQ_KAFKA_CACHE) return resolve(env.KQ_KAFKA_CACHE);
  return envPaths('kq', { suffix: '' }).cache;
}

/**
 * The Kafka to run, without fetching: KAFKA_HOME when set (it must look like a release), else the cached copy
 * of the requested version. Returns undefined when nothing is cached yet; throws KafkaSetupError when what is
 * there is broken (a KAFKA_HOME without libs/kafka_2.13-*.jar, a cache whose jars differ from its manifest).
 */
export function locateKafka(options: KafkaLocateOptions = {}): KafkaDistribution | undefined {
  const env = options.env ?? process.env;
  if (env.KAFKA_HOME) return kafkaHomeDistribution(resolve(env.KAFKA_HOME));
  const version = options.version ?? pinnedKafkaVersion();
  const home = join(kafkaCacheDir(options), `kafka-${version}`);
  if (!existsSync(home)) return undefined;
  const problem = cacheProblem(home, version);
  if (problem) {
    throw new KafkaSetupError(
      `the cached Apache Kafka at ${home} is corrupt (${problem}); run \`npm run kafka:fetch\` (or kq kafka fetch) to fetch it again`,
    );
  }
  return distribution(home, version, 'cache');
}

function kafkaHomeDistribution(home: string): KafkaDistribution {
  const libsDir = join(home, 'libs');
  const jar = existsSync(libsDir) ? readdirSync(libsDir).find((n) => /^kafka_2\.13-.+\.jar$/.test(n)) : undefined;
  const version = jar ? /^kafka_2\.13-(.+)\.jar$/.exec(jar)![1]! : undefined;
  if (!version || version.endsWith('-sources') || version.endsWith('-test')) {
    throw new KafkaSetupError(
      `KAFKA_HOME=${home} does not look like an Apache Kafka release: no libs/kafka_2.13-<version>.jar. Point it at an unpacked kafka_2.13-<version>.tgz, or unset it to use kq's fetched copy`,
    );
  }
  return distribution(home, version, 'KAFKA_HOME');
}

function distribution(home: string, version: string, source: KafkaDistribution['source']): KafkaDistribution {
  const libsDir = join(home, 'libs');
  return { home, version, libsDir, classpath: join(libsDir, '*'), source };
}

/** Why a cached copy cannot be trusted, or undefined when every jar matches its manifest. */
function cacheProblem(home: string, version: string): string | undefined {
  let manifest: FetchManifest;
  try {
    manifest = JSON.parse(readFileSync(join(home, MANIFEST), 'utf8')) as FetchManifest;
  } catch {
    return `no readable ${MANIFEST}: an interrupted or foreign copy`;
  }
  if (manifest.version !== version) return `${MANIFEST} says version ${manifest.version}`;
  if (!(`kafka_2.13-${version}.jar` in manifest.jars)) return `${MANIFEST} lists no kafka_2.13-${version}.jar`;
  for (const [name, size] of Object.entries(manifest.jars)) {
    const path = join(home, 'libs', name);
    if (!existsSync(path)) return `libs/${name} is missing`;
    if (statSync(path).size !== size) return `libs/${name} is ${statSync(path).size} bytes, the manifest says ${size}`;
  }
  return undefined;
}

export interface FetchResult {
  distribution: KafkaDistribution;
  /** False when the cache (or KAFKA_HOME) already had it and Maven was not run. */
  fetched: boolean;
}

/**
 * Makes the requested Kafka available: KAFKA_HOME as it is, or the cached copy, or else resolves the pinned
 * artifacts with Maven (`kafka/pom.xml`: kafka_2.13, kafka-tools, kafka-clients, a log4j2 binding) into a temp
 * folder and renames it into `<cache>/kafka-<version>` only once complete, so an interrupted fetch never
 * leaves a half copy that looks whole. A corrupt cached copy is replaced. Idempotent; needs no network once
 * cached. `log` receives progress lines (stderr in the CLI).
 */
export function fetchKafka(options: KafkaLocateOptions & { log?: (line: string) => void } = {}): FetchResult {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => undefined);
  const version = options.version ?? pinnedKafkaVersion();
  let existing: KafkaDistribution | undefined;
  try {
    existing = locateKafka({ ...options, version });
  } catch (error) {
    if (env.KAFKA_HOME || !(error instanceof KafkaSetupError)) throw error;
    log(`${error.message.split(';')[0]}; fetching it again`);
  }
  if (existing) return { distribution: existing, fetched: false };

  findJava(env); // Maven and Kafka both need Java 17+: say so before Maven fails less clearly
  const cacheDir = kafkaCacheDir(options);
  const home = join(cacheDir, `kafka-${version}`);
  const staging = join(cacheDir, `.kafka-${version}.partial-${process.pid}`);
  mkdirSync(cacheDir, { recursive: true });
  rmSync(staging, { recursive: true, force: true });
  log(`fetching Apache Kafka ${version} with Maven into ${home} (first time only)`);
  runMaven(version, join(staging, 'libs'), env);

  const jars = Object.fromEntries(
    readdirSync(join(staging, 'libs'))
      .filter((name) => name.endsWith('.jar'))
      .map((name) => [name, statSync(join(staging, 'libs', name)).size]),
  );
  const manifest: FetchManifest = { version, jars };
  writeFileSync(join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  rmSync(home, { recursive: true, force: true });
  renameSync(staging, home);
  log(`fetched ${Object.keys(jars).length} jars into ${join(home, 'libs')}`);
  return { distribution: distribution(home, version, 'cache'), fetched: true };
}

function runMaven(version: string, outputDir: string, env: NodeJS.ProcessEnv): void {
  const mvn = env.KQ_MVN ?? 'mvn';
  const args = [
    '-B',
    '-q',
    '-f',
    join(mavenProjectDir(), 'pom.xml'),
    `-Dkafka.version=${version}`,
    'dependency:copy-dependencies',
    '-DincludeScope=runtime',
    `-DoutputDirectory=${outputDir}`,
  ];
  // Maven runs on the same Java that was just checked (JAVA_HOME, else `java` on PATH, as mvn itself looks).
  const run = spawnSync(mvn, args, {
    encoding: 'utf8',
    env,
    maxBuffer: 64 * 1024 * 1024,
    timeout: 15 * 60_000,
  });
  if (run.error) {
    throw new KafkaSetupError(
      `cannot run Maven (${mvn}: ${run.error.message}); install Maven 3.8+, or download an Apache Kafka release and set KAFKA_HOME to it`,
    );
  }
  if (run.status !== 0) {
    const tail = `${run.stdout}\n${run.stderr}`
      .split('\n')
      .map((l) => stripVTControlCharacters(l).trimEnd())
      .filter((l) => l.length > 0)
      .slice(-8)
      .join('\n  ');
    const offline = /resolve|transfer|connect|unknownhost|network|offline/i.test(tail);
    throw new KafkaSetupError(
      `Maven could not fetch Apache Kafka ${version}${offline ? ' (no network, or the version does not exist?)' : ''}:\n  ${tail}\n` +
        'The first fetch needs the Maven registry; after that kq runs offline. Or set KAFKA_HOME to an unpacked Kafka release',
    );
  }
}
