import { render } from 'ink';
import { ClusterWatchApp } from './ClusterWatchApp.js';
import type { WatchSource } from './cluster-watch.js';

/** `kq broker --brokers N --watch`'s terminal view, imported lazily only when stdin and stdout are terminals. */
export async function runInkClusterWatch(
  source: WatchSource,
  options: { color: boolean; intervalMs: number },
): Promise<void> {
  const app = render(<ClusterWatchApp source={source} color={options.color} intervalMs={options.intervalMs} />, {
    exitOnCtrlC: false,
    patchConsole: false,
  });
  await app.waitUntilExit();
}
