/**
 * The demos that run on kq's own broker only, each with the reason, in this one place: their claim is read from
 * kq's broker internals for which Apache Kafka has no view but JMX, which kq does not read, or needs a fault only
 * kq's own cluster can inject (a power loss). `kq demo <id> --kafka`
 * (or `--bootstrap-server`) refuses them as a usage error naming the reason, `kq demo --all --kafka` lists them as
 * skipped, and test/demo/demos-on-kafka.test.ts requires every other demo to be proven on Apache Kafka. Adding a
 * demo here is a claim that its checks cannot be made the operator's way (protocol, data dir, syscalls): the
 * reason must say why.
 */
export const KQ_INTERNAL_DEMOS: Readonly<Record<string, string>> = {
  'reactor-pipeline':
    "it draws kq's own network threads: which Processor each connection was dealt to, how many requests each " +
    "handler took and the request queue's depth, from KafkaBroker.metrics(); Apache Kafka shows these only as JMX " +
    'metrics (kafka.network Processor and RequestChannel RequestQueueSize), which kq does not read',
  'request-handler-idle':
    "it measures the request handlers' busy time from KafkaBroker.metrics(); Apache Kafka publishes its " +
    'RequestHandlerAvgIdlePercent only over JMX, which kq does not read',
  'power-loss':
    "it cuts brokers' power with kq's own fault layer, which puts every file a node wrote back to its last fsync; " +
    "an Apache Kafka JVM writes through this machine's kernel, and no process can drop the kernel's page cache " +
    'without the machine losing power (a SIGKILL of the JVM keeps it; only a VM or a fault-injecting filesystem could)',
};

/** Why demo `id` runs on kq's broker only, or undefined when it runs on any target. */
export function kqInternalReason(id: string): string | undefined {
  return Object.hasOwn(KQ_INTERNAL_DEMOS, id) ? KQ_INTERNAL_DEMOS[id] : undefined;
}
