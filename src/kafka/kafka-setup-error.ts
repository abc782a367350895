/**
 * Apache Kafka could not be made ready on this machine: no Java 17+, no Kafka (neither KAFKA_HOME nor a fetched
 * copy), Maven missing or offline on the first fetch, a corrupt cache, a port in use, a node that never answered.
 * The CLI turns it into exit 3 (environment); the message says what was found and what to do.
 */
export class KafkaSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KafkaSetupError';
  }
}
