import type { ClientDriver } from '../client-driver.js';
import { franzGo } from './franz-go.js';
import { javaClients } from './java-clients.js';
import { kafkajs } from './kafkajs.js';
import { kcatDriver } from './kcat.js';
import { platformaticKafka } from './platformatic-kafka.js';
import { confluentKafkaPython, kafkaPython } from './python-clients.js';

/** The clients of the compatibility matrix, in the README table's row order. */
export const MATRIX_CLIENTS: ClientDriver[] = [
  kafkajs,
  kcatDriver,
  javaClients,
  platformaticKafka,
  confluentKafkaPython,
  kafkaPython,
  franzGo,
];
