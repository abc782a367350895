import type { ClientDriver } from '../client-driver.js';
import { platformaticKafka } from './platformatic-kafka.js';

/** The clients of the compatibility matrix, in the README table's row order. */
export const MATRIX_CLIENTS: ClientDriver[] = [platformaticKafka];
