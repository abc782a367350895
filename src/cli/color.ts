/**
 * Whether to colour output on a stream. chalk decides at import time and ignores NO_COLOR on a TTY, so kq
 * decides itself: colour only on a TTY, never with NO_COLOR set (any value, per no-color.org) or TERM=dumb;
 * FORCE_COLOR turns it on for tests of the coloured path.
 */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  if (env.TERM === 'dumb') return false;
  return Boolean(stream.isTTY);
}
