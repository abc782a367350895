// Stand-in for node-emoji inside the bundle (see scripts/build.mjs): kq renders with emoji: false, so
// marked-terminal never calls it; the real module would load emojilib's 300 KB table at every start.
export function get() {
  return undefined;
}
