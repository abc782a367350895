// The layers of kq, enforced: `npm run depcruise` (and so `npm test`) fails on any import these rules forbid.
// ARCHITECTURE.md draws the same picture in prose; change both together. Top to bottom:
//
//   cli          commands: the only layer that may know every other one
//   tui          the ink quiz: quiz, bank, srs, text; never cli
//   quiz         the session logic: bank, srs, store, text
//   store        persistence: srs (the review events it persists), text
//   bank, srs    domain: the cards; FSRS scheduling and the review event model. Neither imports store
//   demo         the demo runtime (src/demo, used by demos/ and kq demo): broker, kafka, text
//   kafka        Apache Kafka fetched and started by kq (src/kafka): broker (its client), text
//   text         leaf helpers (tables, terminal markdown, suggestions) shared by the layers above
//   broker       imports nothing outside src/broker/: it is embeddable on its own
//
// test/ and scripts/ may import anything; nothing in src/ or demos/ imports them, and nothing imports demos/.

/** For each layer, the folders of src/ above it: what it must never import. */
const above = {
  text: ['bank', 'srs', 'store', 'quiz', 'tui', 'cli', 'demo', 'kafka'],
  kafka: ['bank', 'srs', 'store', 'quiz', 'tui', 'cli', 'demo'],
  demo: ['bank', 'srs', 'store', 'quiz', 'tui', 'cli'],
  bank: ['srs', 'store', 'quiz', 'tui', 'cli', 'demo', 'kafka'],
  srs: ['store', 'quiz', 'tui', 'cli', 'demo', 'kafka'],
  store: ['quiz', 'tui', 'cli', 'demo', 'kafka'],
  quiz: ['tui', 'cli', 'demo', 'kafka'],
  tui: ['cli', 'demo', 'kafka'],
};

const layerRules = Object.entries(above).map(([layer, forbidden]) => ({
  name: `${layer}-not-upward`,
  comment: `src/${layer} is below ${forbidden.join(', ')}: lower layers never import upper ones (ARCHITECTURE.md).`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: { path: `^src/(${forbidden.join('|')})/` },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle makes two modules one: neither can be understood, tested or moved alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'broker-self-contained',
      comment:
        'src/broker is an embeddable Kafka (its own package entry point): it imports nothing of kq outside src/broker/.',
      severity: 'error',
      from: { path: '^src/broker/' },
      to: { path: '^(src|demos|test|scripts)/', pathNot: '^src/broker/' },
    },
    {
      name: 'only-tui-uses-ink',
      comment: 'The interactive path alone imports ink and React (STYLE.md: the plain path is a separate module).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/tui/' },
      to: { dependencyTypes: ['npm', 'npm-dev'], path: '^node_modules/(ink|react)/' },
    },
    ...layerRules,
    {
      name: 'product-not-test-code',
      comment: 'src/ and demos/ ship; test/ and scripts/ do not.',
      severity: 'error',
      from: { path: '^(src|demos)/' },
      to: { path: '^(test|scripts)/' },
    },
    {
      name: 'src-not-demos',
      comment: 'demos/ are the leaves: src/demo loads them by path at run time, nothing imports them.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^demos/' },
    },
    {
      name: 'demos-use-the-demo-runtime',
      comment:
        'A demo (demos/<id>.ts) is written against src/demo and the broker; the quiz, the bank and the CLI are not its business.',
      severity: 'error',
      from: { path: '^demos/' },
      to: { path: '^src/', pathNot: '^src/(demo|broker|kafka|text)/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing is a typo or a missing package.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|coverage)/' },
    // Type-only imports count: a cycle or a layer breach through types still couples the modules.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
