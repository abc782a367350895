import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BodyLang } from '../bank/card-body.js';

/**
 * The quiz's seam to `kq demo <id>`: `d` launches the card's demo once as a child process, so a demo that hangs or
 * crashes never takes the session (and its unsaved screen) with it. A launcher, not a runner: the in-process
 * demo runner is src/demo/demo-runner.ts, which that child process uses. A missing demo file is an expected
 * answer ("not written yet"), not an error.
 */
export interface DemoRun {
  /** passed: the demo ran and proved its claim (exit 0); failed: not proven (exit 1) or could not run. */
  status: 'missing' | 'passed' | 'failed';
  /** One line for the learner, in English; the quiz says it in the session's language from status and exitCode. */
  message: string;
  /** How a failed demo exited (null: it could not be started). */
  exitCode?: number | null;
  /** What the demo printed, when captured (empty when it wrote straight to the terminal). */
  output: string;
}

export interface DemoLauncher {
  /**
   * `inherit`: the demo writes to our stdout (plain mode); `capture`: its output comes back (ink). `lang`, when
   * given, is the language of the demo's narration (the quiz passes its own, so `l` carries over).
   */
  run(demoId: string, output: 'inherit' | 'capture', lang?: BodyLang, options?: DemoRunOptions): Promise<DemoRun>;
  /** The demo's what-if knobs as `kq demo <id> --knobs` lists them (`acks=all (0|1|all) — …`), one per line. */
  knobs?(demoId: string, lang?: BodyLang): Promise<string[]>;
}

/** How to run it: what-if knobs (`--set k=v`) and the target (`--kafka`: Apache Kafka instead of kq's broker). */
export interface DemoRunOptions {
  knobs?: Readonly<Record<string, string>>;
  kafka?: boolean;
}

export interface DemoLauncherOptions {
  /** Where `demos/<id>.ts` live. */
  demosDir: string;
  /** How to start kq itself: [node, bin/kq.js]. */
  kqCommand: readonly [string, ...string[]];
  env?: NodeJS.ProcessEnv;
}

export function createDemoLauncher(options: DemoLauncherOptions): DemoLauncher {
  return {
    async knobs(demoId, lang) {
      if (!existsSync(join(options.demosDir, `${demoId}.ts`))) return [];
      const [command, ...prefix] = options.kqCommand;
      const child = spawn(command, [...prefix, 'demo', demoId, '--knobs', ...(lang ? ['--lang', lang] : [])], {
        stdio: ['ignore', 'pipe', 'ignore'],
        env: options.env ?? process.env,
      });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      await new Promise<void>((resolve) => {
        child.once('error', () => resolve());
        child.once('close', () => resolve());
      });
      return text.split('\n').filter((line) => line.trim() !== '');
    },
    async run(demoId, output, lang, runOptions = {}) {
      if (!existsSync(join(options.demosDir, `${demoId}.ts`))) {
        return { status: 'missing', message: `demo ${demoId} is not written yet`, output: '' };
      }
      const [command, ...prefix] = options.kqCommand;
      const args = [
        'demo',
        demoId,
        ...(lang ? ['--lang', lang] : []),
        ...Object.entries(runOptions.knobs ?? {}).flatMap(([knob, value]) => ['--set', `${knob}=${value}`]),
        ...(runOptions.kafka ? ['--kafka'] : []),
      ];
      const child = spawn(command, [...prefix, ...args], {
        stdio: output === 'inherit' ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
        env: options.env ?? process.env,
      });
      let text = '';
      child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      const code = await new Promise<number | null>((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (exit) => resolve(exit));
      }).catch((error: Error) => {
        text += error.message;
        return null;
      });
      return code === 0
        ? { status: 'passed', message: `demo ${demoId} finished`, output: text }
        : {
            status: 'failed',
            message: `demo ${demoId} failed (exit ${code ?? 'error'}); run \`kq demo ${demoId}\` to see it alone`,
            output: text,
            exitCode: code,
          };
    },
  };
}
