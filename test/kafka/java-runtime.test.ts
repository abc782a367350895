import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findJava, KafkaSetupError, parseJavaVersion } from '../../src/kafka/index.js';
import { useTempDir } from '../support/temp-dir.js';

describe('parseJavaVersion', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17, '17.0.15'],
    ['openjdk version "21" 2023-09-19', 21, '21'],
    ['java version "1.8.0_392"', 8, '1.8.0_392'],
    ['openjdk version "11.0.22" 2024-01-16 LTS', 11, '11.0.22'],
    ['openjdk version "25-ea" 2025-09-16', 25, '25-ea'],
  ])('reads %s as Java %i', (line, major, text) => {
    expect(parseJavaVersion(line)).toEqual({ major, text });
  });

  it('returns undefined for output without a version', () => {
    expect(parseJavaVersion('command not found')).toBeUndefined();
  });
});

describe('findJava', () => {
  const temp = useTempDir();

  /** A JAVA_HOME whose bin/java prints what `java -version` of that release prints. */
  function fakeJavaHome(versionLine: string): string {
    const home = join(temp(), 'jdk');
    mkdirSync(join(home, 'bin'), { recursive: true });
    writeFileSync(join(home, 'bin', 'java'), `#!/bin/sh\necho '${versionLine}' >&2\n`);
    chmodSync(join(home, 'bin', 'java'), 0o755);
    return home;
  }

  it('accepts the machine Java when it is 17 or newer', () => {
    expect(findJava().major).toBeGreaterThanOrEqual(17);
  });

  it('refuses Java 11 and names JAVA_HOME as the way out', () => {
    const home = fakeJavaHome('openjdk version "11.0.22" 2024-01-16');
    expect(() => findJava({ ...process.env, JAVA_HOME: home })).toThrow(KafkaSetupError);
    expect(() => findJava({ ...process.env, JAVA_HOME: home })).toThrow(
      /needs Java 17 or newer.*Java 11\.0\.22.*JAVA_HOME/,
    );
  });

  it('says no usable Java was found when JAVA_HOME points nowhere', () => {
    expect(() => findJava({ ...process.env, JAVA_HOME: join(temp(), 'missing') })).toThrow(/no usable Java found/);
  });

  it('says no usable Java was found when PATH has no java', () => {
    expect(() => findJava({ PATH: temp() })).toThrow(/no usable Java found.*install it, or set JAVA_HOME/);
  });
});
