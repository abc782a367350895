// Installs the client matrix's non-npm clients ahead of the tests (CI runs it after npm ci): the Python venv
// from clients/python/requirements.txt and the franz-go harness built from clients/go, both under .cache/clients.
// The tests install the same way on first use; this only moves the downloads out of their timeouts.
import { franzGo } from '../test/clients/install/go-client.js';
import { pythonClients } from '../test/clients/install/python-clients.js';

const started = Date.now();
const [python, franz] = await Promise.all([pythonClients(), franzGo()]);
process.stdout.write(`python clients: ${python}\nfranz-go harness: ${franz}\n(${Date.now() - started} ms)\n`);
