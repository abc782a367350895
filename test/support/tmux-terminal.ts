import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';

/** Whether tmux is installed; tmux tests skip (and say so) without it. */
export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/**
 * A real terminal of a given size for a command: its own tmux server (a private socket, so a test never
 * touches the developer's sessions), keys in with send-keys, the screen out with capture-pane, and bounded
 * waits for screen content (never a fixed sleep). `close()` kills the server the terminal started, and with
 * it the command. The pane stays open after the command exits (`read`), so the last frame can be read.
 */
export class TmuxTerminal {
  private readonly socket = `kq-test-${randomUUID().slice(0, 8)}`;

  constructor(
    readonly columns: number,
    readonly rows: number,
    command: readonly string[],
    env: Record<string, string>,
  ) {
    const quoted = ['env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...command]
      .map((a) => `'${a.replaceAll("'", "'\\''")}'`)
      .join(' ');
    this.tmux(
      'new-session',
      '-d',
      '-s',
      'main',
      '-x',
      String(columns),
      '-y',
      String(rows),
      `${quoted}; echo "kq exited $?"; read done`,
    );
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'main');
  }

  /** tmux key names (`Enter`, `Space`, `Down`) or literal text; `literal` sends text as typed, in one write. */
  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys);
  }

  type(text: string): void {
    this.tmux('send-keys', '-t', 'main', '-l', text);
  }

  /**
   * Resolves with the screen once it shows `expected`, and once two captures 50 ms apart agree: capture-pane can
   * catch a frame ink is still writing (the header drawn, the footer not yet), and a test that reads more than
   * it waited for must read a whole frame. A screen that keeps changing (a live view) is returned after 500 ms.
   */
  async waitFor(expected: string | RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    const shows = (text: string) => (typeof expected === 'string' ? text.includes(expected) : expected.test(text));
    for (;;) {
      const text = this.screen();
      if (shows(text)) return this.settled(text, shows);
      if (Date.now() > deadline)
        throw new Error(
          `the ${this.columns}×${this.rows} terminal never showed ${String(expected)} within ${timeoutMs} ms; screen:\n${text}`,
        );
      await pause(50);
    }
  }

  private async settled(matched: string, shows: (text: string) => boolean): Promise<string> {
    let last = matched;
    for (let i = 0; i < 10; i++) {
      await pause(50);
      const next = this.screen();
      if (next === last) return next;
      if (shows(next)) last = next;
    }
    return last;
  }

  close(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
