import type { ClientDriver } from '../client-driver.js';
import { franzGo } from './franz-go.js';
import { platformaticKafka } from './platformatic-kafka.js';
import { confluentKafkaPython, kafkaPython } from './python-clients.js';

/** The clients of the compatibility matrix, in the README table's row order. */
export const MATRIX_CLIENTS: ClientDriver[] = [platformaticKafka, confluentKafkaPython, kafkaPython, franzGo];
