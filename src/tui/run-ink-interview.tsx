import { render } from 'ink';
import type { InterviewSession } from '../quiz/interview.js';
import { InterviewApp } from './InterviewApp.js';

/** `kq interview`'s interactive front end, imported lazily only when stdin and stdout are terminals. */
export async function runInkInterview(interview: InterviewSession, options: { color: boolean }): Promise<void> {
  const app = render(<InterviewApp interview={interview} color={options.color} />, {
    exitOnCtrlC: false,
    patchConsole: false,
  });
  await app.waitUntilExit();
}
