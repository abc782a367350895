import { join } from 'node:path';
import { CLIENTS_DIR } from '../install/client-cache.js';
import { pythonClients } from '../install/python-clients.js';
import { harnessDriver } from './harness-driver.js';

/** The Python clients (PyPI, in a venv built from clients/python/requirements.txt), each through its harness. */
function pythonHarness(script: string) {
  return async () => ({ command: await pythonClients(), args: [join(CLIENTS_DIR, 'python', script)] });
}

export const confluentKafkaPython = harnessDriver({
  id: 'confluent-kafka-python',
  name: 'confluent-kafka (Python)',
  producerDefaults: 'acks=all, enable.idempotence=false',
  install: pythonHarness('confluent_harness.py'),
  version: (reported) => `${String(reported.version)} (librdkafka ${String(reported.librdkafka)})`,
});

export const kafkaPython = harnessDriver({
  id: 'kafka-python',
  name: 'kafka-python',
  producerDefaults: 'acks=all, enable_idempotence=true',
  install: pythonHarness('kafka_python_harness.py'),
});
