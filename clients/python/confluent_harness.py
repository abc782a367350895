"""confluent-kafka (librdkafka bundled in the wheel) at its defaults, for kq's client matrix; see harness.py."""
import importlib.metadata
import sys
import time

import confluent_kafka
from confluent_kafka import Consumer, Producer, TopicCollection
from confluent_kafka.admin import AdminClient, NewTopic

import harness


def version():
    return {"version": importlib.metadata.version("confluent-kafka"), "librdkafka": confluent_kafka.libversion()[0]}


def produce(bootstrap, topic, count, mode):
    config = {"bootstrap.servers": bootstrap}
    if mode == "idempotent":
        config["enable.idempotence"] = True
    elif mode is not None:
        config["acks"] = mode
    producer = Producer(config)
    errors = []
    for value in harness.values(count):
        producer.produce(topic, value=value, partition=0, on_delivery=lambda err, _msg: err and errors.append(err))
    left = producer.flush(harness.DEADLINE_S)
    if left or errors:
        raise RuntimeError(f"{left} records undelivered, delivery errors: {errors}")


def consume_in_group(bootstrap, topic, group, expected):
    # auto.offset.reset=earliest: a group without a commit starts at the beginning (the matrix's contract)
    consumer = Consumer(
        {"bootstrap.servers": bootstrap, "group.id": group, "auto.offset.reset": "earliest", "enable.auto.commit": False}
    )
    consumer.subscribe([topic])
    read = []
    end = harness.deadline()
    while len(read) < expected and time.monotonic() < end:
        message = consumer.poll(0.5)
        if message is None:
            continue
        if message.error():
            raise RuntimeError(str(message.error()))
        read.append(message.value().decode())
    if len(read) < expected:
        raise RuntimeError(f"read {len(read)} of {expected} in {harness.DEADLINE_S} s")
    consumer.commit(asynchronous=False)
    consumer.close()
    return read


def create_topic(bootstrap, topic, partitions):
    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])[topic].result(
        harness.DEADLINE_S
    )
    described = admin.describe_topics(TopicCollection([topic]))[topic].result(harness.DEADLINE_S)
    listed = topic in admin.list_topics(timeout=harness.DEADLINE_S).topics
    return {"partitions": len(described.partitions), "listed": listed}


if __name__ == "__main__":
    harness.main(sys.modules[__name__])
