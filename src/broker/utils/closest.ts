/**
 * Suggestions for a mistyped value (a card id, a tag, a setting, a broker config name): the valid choices
 * nearest by edit distance (and any that contain the typed text), so `kq show acks-defualt` can answer "did you
 * mean acks-default?". It lives in the broker because the broker imports nothing outside src/broker/ (it is
 * embeddable on its own) and needs it for config names; the CLI's wording around it is src/text/suggestion.ts.
 */
export function closest(typed: string, choices: readonly string[], max = 3): string[] {
  const needle = typed.toLowerCase();
  const scored = choices.map((choice) => {
    const c = choice.toLowerCase();
    // A typo in the first part of a longer id ("acks-defualt" for "acks-default-today") counts by the prefix.
    const distance =
      c.includes(needle) || needle.includes(c)
        ? 0.5
        : Math.min(editDistance(needle, c), editDistance(needle, c.slice(0, needle.length)) + 0.5);
    return { choice, distance };
  });
  const limit = Math.max(2, Math.floor(needle.length / 3));
  return scored
    .filter((s) => s.distance <= limit)
    .sort((a, b) => a.distance - b.distance || a.choice.localeCompare(b.choice))
    .slice(0, max)
    .map((s) => s.choice);
}

/** Levenshtein distance, two rows at a time. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
