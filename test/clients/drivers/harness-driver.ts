import type { ClientDriver } from '../client-driver.js';
import { lastJsonLine, runProgram } from '../run-program.js';

/**
 * A client driven through a harness program (clients/python/*.py, clients/go): one short process per step,
 * with the command line they all share (clients/python/harness.py documents it). A new process per consumer
 * run makes "resume after restart" a real restart.
 */
export function harnessDriver(spec: {
  id: string;
  name: string;
  producerDefaults: string;
  /** Installs or builds the client (idempotent); returns the program and the arguments before the bootstrap. */
  install(): Promise<{ command: string; args: string[] }>;
  /** The table's version text from what the harness' version command printed. */
  version?(reported: Record<string, unknown>): string;
}): ClientDriver {
  let program: { command: string; args: string[] } | undefined;
  const harness = async (args: string[]): Promise<Record<string, unknown>> => {
    if (!program) throw new Error(`${spec.name}: prepare() was not called`);
    const timeoutMs = 60_000;
    const run = await runProgram(program.command, [...program.args, ...args], {
      timeoutMs,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    return lastJsonLine(run, `${spec.id} ${args.slice(1).join(' ')}`, timeoutMs) as Record<string, unknown>;
  };
  return {
    id: spec.id,
    name: spec.name,
    producerDefaults: spec.producerDefaults,
    async prepare() {
      program = await spec.install();
      const reported = await harness(['-', 'version']);
      return spec.version ? spec.version(reported) : String(reported.version);
    },
    async produce(bootstrap, topic, count, mode) {
      await harness([bootstrap, 'produce', topic, String(count), mode ?? 'default']);
    },
    async consumeInGroup(bootstrap, topic, group, expected) {
      return (await harness([bootstrap, 'group', topic, group, String(expected)])).values as string[];
    },
    async createTopic(bootstrap, topic, partitions) {
      const created = await harness([bootstrap, 'create', topic, String(partitions)]);
      return { partitions: created.partitions as number, listed: created.listed as boolean };
    },
  };
}
