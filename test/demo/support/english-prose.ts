/**
 * Finds English prose in text meant to be Chinese: the words left once code-like tokens (config names, error codes,
 * API names, topic names, numbers) and the Kafka terms Chinese engineers write in English (questions/GLOSSARY.md:
 * leader、ISR、offset…) are taken out. Used to hold a zh demo run to Chinese check texts.
 */
const TERMS_KEPT_IN_ENGLISH = new Set(
  [
    'broker',
    'brokers',
    'topic',
    'topics',
    'leader',
    'leaders',
    'follower',
    'followers',
    'offset',
    'offsets',
    'epoch',
    'producer',
    'consumer',
    'id',
    'isr',
    'elr',
    'leo',
    'rebalance',
    'controller',
    'quorum',
    'segment',
    'segments',
    'index',
    'timeindex',
    'log',
    'batch',
    'acks',
    'all',
    'seq',
    'kraft',
    'page',
    'cache',
    'lag',
    'unclean',
    'purgatory',
    'fsync',
    'sendfile',
    'strace',
    'tls',
    'dlq',
    'gzip',
    'snappy',
    'lz4',
    'zstd',
    'none',
    'latest',
    'earliest',
    'ms',
    'fetch',
    'produce',
    'metadata',
    'generation',
    'session',
    'timeout',
  ].map((w) => w.toLowerCase()),
);

/** Words that only English sentences have: one of them in a Chinese text means a phrase was left untranslated. */
const FUNCTION_WORDS = new Set(
  'a an the of for and or not no to in on at by from with after before than is are was were be been it its each every as but'.split(
    ' ',
  ),
);

/**
 * The English prose in `text`: runs of two or more English words in a row (a phrase), or any English function
 * word (`of`, `for`, `not`…). A single word is allowed — it is data (a record value, a group id) or a Kafka term —
 * and so are code-like tokens (dotted/underscored/hyphenated names, ALL_CAPS codes, camelCase fields) and the
 * terms Chinese engineers write in English. Returns the offending words (empty: the text reads Chinese).
 */
export function englishProse(text: string): string[] {
  const words = text.split(
    /(?=[\s,;:()[\]{}<>'"`、，。；：（）《》“”|/→×≤≥=+*−–-])|(?<=[\s,;:()[\]{}<>'"`、，。；：（）《》“”|/→×≤≥=+*−–-])/u,
  );
  const offending: string[] = [];
  let run: string[] = [];
  const endRun = () => {
    if (run.length >= 2) offending.push(...run);
    run = [];
  };
  for (const token of words) {
    if (/^\s+$/.test(token)) continue; // spaces keep a run going
    const prose =
      /^[a-z]{2,}$/i.test(token) &&
      !/^[A-Z0-9_]+$/.test(token) && // ALL_CAPS: an error code or acronym
      !/^[a-z]+[A-Z]/.test(token) && // camelCase: a field name
      !/^[A-Z][a-z]+[A-Z]/.test(token) && // PascalCase: an API or class name
      !TERMS_KEPT_IN_ENGLISH.has(token.toLowerCase());
    if (prose && FUNCTION_WORDS.has(token.toLowerCase())) offending.push(token);
    if (prose) run.push(token);
    else endRun();
  }
  endRun();
  return [...new Set(offending)];
}
