/** The little of the WHATWG WebSocket this needs (global in Node 20 with --experimental-websocket, 22+ always). */
interface MiniWebSocket {
  onopen: (() => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  send(data: string): void;
  close(): void;
}
type WebSocketConstructor = new (url: string) => MiniWebSocket;

interface CallFrame {
  functionName: string;
  location: { scriptId: string; lineNumber: number };
  url: string;
}
interface AsyncStackTrace {
  description?: string;
  callFrames: Array<{ functionName: string; url: string; lineNumber: number }>;
  parent?: AsyncStackTrace;
}

/**
 * The JavaScript stack of a Node process that stopped making progress — the one tool that works when a process
 * spins on microtasks (no timer, no signal handler, no I/O callback of its own ever runs again): SIGUSR1 opens
 * its inspector (the child must run with `--inspect-port=0`, so it picks a free port and prints the address on
 * stderr), then Debugger.pause over the inspector's WebSocket interrupts whatever runs and returns the frames,
 * with the async chain that led there. `stderr()` returns what the process wrote to stderr so far.
 *
 * Returns the frames as lines (innermost first), or one line saying why there are none. Never throws; gives up
 * after `timeoutMs`. Used by the campaign's run watchdog (isolated-run.ts).
 */
export async function stackOfHungProcess(pid: number, stderr: () => string, timeoutMs = 15_000): Promise<string[]> {
  const WebSocketImpl = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!WebSocketImpl) return ['no stack: this Node has no WebSocket client (run with --experimental-websocket)'];
  const deadline = Date.now() + timeoutMs;
  const tick = () => new Promise((resolve) => setTimeout(resolve, 50));
  try {
    process.kill(pid, 'SIGUSR1');
  } catch (error) {
    return [`no stack: SIGUSR1 to ${pid} failed (${(error as Error).message})`];
  }
  let url: string | undefined;
  while (!url && Date.now() < deadline) {
    url = /ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/.exec(stderr())?.[0];
    if (!url) await tick();
  }
  if (!url) return ['no stack: the inspector did not print its address (was the process run with --inspect-port=0?)'];

  const ws = new WebSocketImpl(url);
  try {
    const scripts = new Map<string, string>();
    const paused = new Promise<{ callFrames: CallFrame[]; asyncStackTrace?: AsyncStackTrace }>((resolve, reject) => {
      ws.onerror = () => reject(new Error(`the inspector at ${url} refused the connection`));
      ws.onmessage = (event) => {
        const message = JSON.parse(String(event.data)) as {
          method?: string;
          params?: { scriptId?: string; url?: string; callFrames?: CallFrame[]; asyncStackTrace?: AsyncStackTrace };
        };
        if (message.method === 'Debugger.scriptParsed' && message.params?.scriptId)
          scripts.set(message.params.scriptId, message.params.url ?? '');
        if (message.method === 'Debugger.paused' && message.params?.callFrames)
          resolve({
            callFrames: message.params.callFrames,
            ...(message.params.asyncStackTrace ? { asyncStackTrace: message.params.asyncStackTrace } : {}),
          });
      };
    });
    await Promise.race([
      new Promise<void>((resolve) => (ws.onopen = resolve)),
      paused.then(() => undefined),
      new Promise((_, reject) => setTimeout(() => reject(new Error('the inspector did not open')), timeoutMs)),
    ]);
    let id = 0;
    const send = (method: string, params: object = {}) => ws.send(JSON.stringify({ id: ++id, method, params }));
    send('Debugger.enable');
    send('Debugger.setAsyncCallStackDepth', { maxDepth: 12 });
    send('Debugger.pause');
    const stopped = await Promise.race([
      paused,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('Debugger.pause was not answered')), Math.max(1000, deadline - Date.now())),
      ),
    ]);
    const place = (u: string, line: number) => `${u.replace(/^file:\/\//, '') || '?'}:${line + 1}`;
    const lines = stopped.callFrames.map(
      (f) =>
        `at ${f.functionName || '(anonymous)'} ${place(f.url || scripts.get(f.location.scriptId) || '', f.location.lineNumber)}`,
    );
    for (let a = stopped.asyncStackTrace; a; a = a.parent)
      for (const f of a.callFrames)
        lines.push(`at ${f.functionName || '(anonymous)'} ${place(f.url, f.lineNumber)} (${a.description ?? 'async'})`);
    return lines;
  } catch (error) {
    return [`no stack: ${(error as Error).message}`];
  } finally {
    ws.close();
  }
}
