// The layers of kq, enforced: `npm run depcruise` (and so `npm test`) fails on any import these rules forbid.
// ARCHITECTURE.md draws the same picture in prose; change both together. Top to bottom:
//
//   cli          commands: the only layer that may know every other one
//   tui          the ink quiz: quiz, bank, srs, text; never cli
//   quiz         the session logic: bank, srs, store, text
//   store        persistence: srs (the review events it persists), text
//   bank, srs    domain: the cards; FSRS scheduling and the review event model. Neither imports store
//   demo         the demo runtime (src/demo, used by demos/ and kq demo): broker (its facade only), kafka, text
//   kafka        Apache Kafka fetched and started by kq (src/kafka): broker (its client), text
//   text         leaf helpers (tables, terminal markdown, suggestions) shared by the layers above
//   broker       imports nothing outside src/broker/: it is embeddable on its own (its folders are layered too:
//                brokerBelow below)
//   chaos        the fault campaign (src/chaos, run by `npm run chaos` and its test): broker (its facade only);
//                nothing in src/ imports it
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

/**
 * Inside the broker, top to bottom (ARCHITECTURE.md, "Inside the broker"): what each folder of src/broker must
 * never import. index.ts (the facade) and server/ (KafkaBroker wiring, KafkaApis) may import everything below.
 * controller/ and metadata/ see the Raft layer only through its seam, raft/raft-client.ts (rule below).
 */
const BROKER = 'src/broker';
const brokerBelow = {
  utils: [
    'client',
    'cluster',
    'controller',
    'group',
    'log',
    'metadata',
    'network',
    'protocol',
    'raft',
    'record',
    'server',
    'transaction',
  ],
  protocol: [
    'client',
    'cluster',
    'controller',
    'group',
    'log',
    'metadata',
    'network',
    'raft',
    'record',
    'server',
    'transaction',
  ],
  record: [
    'client',
    'cluster',
    'controller',
    'group',
    'log',
    'metadata',
    'network',
    'protocol',
    'raft',
    'server',
    'transaction',
  ],
  network: ['client', 'cluster', 'controller', 'group', 'log', 'metadata', 'raft', 'record', 'server', 'transaction'],
  client: ['cluster', 'controller', 'group', 'log', 'metadata', 'network', 'raft', 'server', 'transaction'],
  log: ['client', 'cluster', 'controller', 'group', 'metadata', 'network', 'raft', 'server', 'transaction'],
  transaction: ['client', 'cluster', 'controller', 'group', 'metadata', 'network', 'raft', 'server'],
  group: ['client', 'cluster', 'controller', 'metadata', 'network', 'raft', 'server', 'transaction'],
  // Raft replicates opaque records: it knows nothing of what the controller writes or who reads it.
  raft: ['cluster', 'controller', 'group', 'metadata', 'server', 'transaction'],
  // The broker's view of metadata: written by the controller, read by brokers; never the controller itself.
  metadata: ['client', 'cluster', 'controller', 'group', 'log', 'network', 'server', 'transaction'],
  // The controller decides; it reaches brokers only through the metadata log and its RPC answers, never their
  // sockets, logs, partitions or groups. (server/topic-name.ts is a pure name check it shares with AdminManager.)
  controller: ['client', 'cluster', 'group', 'log', 'network', 'transaction'],
  // The why log only holds explained events; the parts that decide explain their own (server/, controller/).
  why: [
    'client',
    'cluster',
    'controller',
    'group',
    'log',
    'metadata',
    'network',
    'protocol',
    'raft',
    'record',
    'server',
    'transaction',
  ],
};

const brokerLayerRules = Object.entries(brokerBelow).map(([folder, forbidden]) => ({
  name: `broker-${folder}-not-upward`,
  comment: `${BROKER}/${folder} must not import ${forbidden.join(', ')} (ARCHITECTURE.md, "Inside the broker").`,
  severity: 'error',
  from: { path: `^${BROKER}/${folder}/` },
  to: { path: `^${BROKER}/(${forbidden.join('|')})/` },
}));

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
    ...brokerLayerRules,
    {
      name: 'broker-controller-server-helpers-only',
      comment:
        'The controller may share pure validation with the broker (server/topic-name.ts), nothing else of server/: no KafkaApis, ReplicaManager or SocketServer.',
      severity: 'error',
      from: { path: `^${BROKER}/controller/` },
      to: { path: `^${BROKER}/server/`, pathNot: `^${BROKER}/server/topic-name[.]ts$` },
    },
    {
      name: 'broker-raft-through-its-seam',
      comment:
        'The controller and the metadata loader depend on raft/raft-client.ts only (RaftClient, RaftClientListener, RecordSerde), so they run against any quorum: KafkaRaftClient over sockets, or a local double.',
      severity: 'error',
      from: { path: `^${BROKER}/(controller|metadata)/` },
      to: { path: `^${BROKER}/raft/`, pathNot: `^${BROKER}/raft/raft-client[.]ts$` },
    },
    {
      name: 'demos-use-the-broker-facade',
      comment:
        'demos/ and src/demo see the broker as any embedding project does: through src/broker/index.ts, so its insides can move.',
      severity: 'error',
      from: { path: '^(demos|src/demo)/' },
      to: { path: '^src/broker/', pathNot: '^src/broker/index[.]ts$' },
    },
    {
      name: 'chaos-uses-the-broker-facade',
      comment:
        'src/chaos drives a cluster as a user of kq/broker would: through src/broker/index.ts, so the broker can change inside.',
      severity: 'error',
      from: { path: '^src/chaos/' },
      to: { path: '^src/broker/', pathNot: '^src/broker/index[.]ts$' },
    },
    {
      name: 'nothing-in-src-uses-chaos',
      comment: 'The fault campaign is a tool run from the repository (npm run chaos), not part of the kq CLI.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/chaos/' },
      to: { path: '^src/chaos/' },
    },
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
