import type { ClientDriver } from '../client-driver.js';
import { producedValues } from '../client-driver.js';
import { runProgram, type ProgramRun } from '../run-program.js';

/**
 * kcat with the librdkafka it links (Debian's packages), one process per step. Its producer defaults are
 * librdkafka's: acks=all, enable.idempotence=false. A balanced consumer (-G) commits through librdkafka's
 * auto-commit, which also commits on close; kcat has no admin API.
 */
const TIMEOUT_MS = 60_000;

async function kcat(args: string[], input?: string): Promise<ProgramRun> {
  const run = await runProgram('kcat', args, { timeoutMs: TIMEOUT_MS, input });
  if (run.code !== 0) {
    const ending = run.timedOut ? `was killed after ${TIMEOUT_MS} ms` : `ended with exit ${run.code}`;
    throw new Error(`kcat ${args.join(' ')} ${ending}: ${run.stderr.trim().split('\n').slice(-3).join(' / ')}`);
  }
  return run;
}

export const kcatDriver: ClientDriver = {
  id: 'kcat',
  name: 'kcat',
  producerDefaults: 'acks=all, enable.idempotence=false (librdkafka)',

  async prepare() {
    // "kcat - Apache Kafka producer and consumer tool … Version 1.7.1 (JSON, …, librdkafka 2.0.2 builtin.features=…)"
    const run = await kcat(['-V']);
    const kcatVersion = /Version (\S+)/.exec(run.stdout)?.[1];
    const librdkafka = /librdkafka (\S+)/.exec(run.stdout)?.[1];
    if (!kcatVersion || !librdkafka) throw new Error(`kcat -V printed no versions: ${run.stdout}`);
    return `${kcatVersion} (librdkafka ${librdkafka})`;
  },

  async produce(bootstrap, topic, count, mode) {
    const settings =
      mode === undefined ? [] : ['-X', mode === 'idempotent' ? 'enable.idempotence=true' : `acks=${mode}`];
    await kcat(['-b', bootstrap, '-P', '-t', topic, '-p', '0', ...settings], `${producedValues(count).join('\n')}\n`);
  },

  async consumeInGroup(bootstrap, topic, group, expected) {
    // auto.offset.reset=earliest: a group without a commit starts at the beginning (the matrix's contract)
    const run = await kcat([
      '-b',
      bootstrap,
      '-G',
      group,
      '-X',
      'auto.offset.reset=earliest',
      '-c',
      String(expected),
      '-f',
      '%s\n',
      '-q',
      topic,
    ]);
    return run.stdout.split('\n').filter((line) => line !== '');
  },
};
