/**
 * The columns to lay text out for: the terminal's width when writing to one, else COLUMNS when set (a pipe
 * into `less`, tests at a chosen width), else `fallback`. Text is laid out one column short of it, so a row
 * that fills the line never makes the terminal wrap on its own.
 */
export function outputWidth(
  stream: { isTTY?: boolean; columns?: number },
  env: NodeJS.ProcessEnv = process.env,
  fallback = 80,
): number {
  if (stream.isTTY && stream.columns) return stream.columns;
  const columns = Number(env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : fallback;
}
