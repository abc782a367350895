import { render } from 'ink-testing-library';
import { QuizApp } from '../../src/tui/QuizApp.js';
import type { DemoLauncher } from '../../src/quiz/demo-launcher.js';
import { FIXED_NOW, testSession, type TestSessionOptions } from '../quiz/quiz-fixtures.js';
import { waitUntil } from '../../src/broker/utils/wait-until.js';

/** A fake demo runner: every demo is missing, as they are until `kq demo` lands. */
export const missingDemos: DemoLauncher = {
  run: async (demoId) => ({ status: 'missing', message: `demo ${demoId} is not written yet`, output: '' }),
};

/** A fake launcher that records what the quiz asked for (`id output lang`) and answers that the demo is missing. */
export function recordingDemos(): DemoLauncher & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    run: async (demoId, output, lang) => {
      asked.push(`${demoId} ${output} ${lang}`);
      return missingDemos.run(demoId, output, lang);
    },
  };
}

/**
 * Renders the quiz app over a test session and gives keys-and-frames helpers. `waitFor` polls the last frame
 * with a bounded wait: ink 6 handles input asynchronously, and input written before the first frame is lost.
 */
export async function renderQuiz(options: TestSessionOptions, demos: DemoLauncher = missingDemos) {
  const { session, log } = testSession(options);
  const app = render(<QuizApp session={session} demos={demos} clock={() => FIXED_NOW} color={false} />);
  const frame = () => app.lastFrame() ?? '';
  const waitFor = async (expected: string | RegExp, timeoutMs = 3000): Promise<string> => {
    const matches = () => (typeof expected === 'string' ? frame().includes(expected) : expected.test(frame()));
    await waitUntil(matches, `a frame showing ${String(expected)}`, timeoutMs, {
      detail: () => `last frame:\n${frame()}`,
    });
    return frame();
  };
  /** Writes keys one write per key, waiting for a frame change is the caller's job (waitFor). */
  const press = (...keys: string[]) => {
    for (const key of keys) app.stdin.write(key);
  };
  await waitFor('kq quiz');
  return { app, session, log, frame, waitFor, press };
}

export const KEY = {
  enter: '\r',
  up: '\u001B[A',
  down: '\u001B[B',
  escape: '\u001B',
  pageDown: '\u001B[6~',
  backspace: '\u007F',
};
