import { render } from 'ink';
import type { DemoLauncher } from '../quiz/demo-launcher.js';
import type { QuizSession } from '../quiz/quiz-session.js';
import { QuizApp } from './QuizApp.js';

/**
 * The interactive front end's entry, imported lazily by `kq quiz` only when stdin and stdout are terminals.
 * Ctrl+C is handled by the app (it quits with a summary like `q`), so ink must not exit on it by itself.
 */
export async function runInkQuiz(
  session: QuizSession,
  options: { demos: DemoLauncher; clock: () => Date; color: boolean; kafka?: boolean },
): Promise<void> {
  const app = render(
    <QuizApp
      session={session}
      demos={options.demos}
      clock={options.clock}
      color={options.color}
      kafka={options.kafka ?? false}
    />,
    {
      exitOnCtrlC: false,
      patchConsole: false,
    },
  );
  await app.waitUntilExit();
}
