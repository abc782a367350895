/**
 * The cluster demos that do not prove their claim on kq's 3-node KRaft cluster yet (they are proven on Apache
 * Kafka by cluster-demos-on-kafka.test.ts), each with the reason. demos-prove.test.ts holds the table true both ways
 * (a listed demo that becomes proven fails it); demo-mutations.test.ts exempts a demo from needing a mutation only
 * while it is listed here, since a mutation needs a proven baseline.
 */
export const NOT_YET_PROVEN_ON_KQ: Readonly<Record<string, string>> = {};
