import { franzGo as buildFranzGo } from '../install/go-client.js';
import { harnessDriver } from './harness-driver.js';

/** franz-go (kgo + kadm, Go module proxy), built from clients/go. Its defaults: acks=all, idempotent, snappy. */
export const franzGo = harnessDriver({
  id: 'franz-go',
  name: 'franz-go',
  producerDefaults: 'acks=all, idempotent, snappy compression',
  install: async () => ({ command: await buildFranzGo(), args: [] }),
});
