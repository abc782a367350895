"""kafka-python (pure Python) at its defaults, for kq's client matrix; see harness.py."""
import importlib.metadata
import sys
import time

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic

import harness


def version():
    return {"version": importlib.metadata.version("kafka-python")}


def produce(bootstrap, topic, count, mode):
    # acks other than all silently turns kafka-python's default idempotence off (as the Java client does)
    if mode is None:
        config = {}
    elif mode == "idempotent":
        config = {"enable_idempotence": True}
    else:
        config = {"acks": mode if mode == "all" else int(mode)}
    producer = KafkaProducer(bootstrap_servers=bootstrap, **config)
    sent = [producer.send(topic, value=value.encode(), partition=0) for value in harness.values(count)]
    producer.flush(harness.DEADLINE_S)
    for future in sent:
        future.get(timeout=harness.DEADLINE_S)
    producer.close()


def consume_in_group(bootstrap, topic, group, expected):
    # auto_offset_reset=earliest: a group without a commit starts at the beginning (the matrix's contract)
    consumer = KafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=group, auto_offset_reset="earliest", enable_auto_commit=False
    )
    read = []
    end = harness.deadline()
    while len(read) < expected and time.monotonic() < end:
        for records in consumer.poll(timeout_ms=500).values():
            read.extend(record.value.decode() for record in records)
    if len(read) < expected:
        raise RuntimeError(f"read {len(read)} of {expected} in {harness.DEADLINE_S} s")
    consumer.commit()
    consumer.close()
    return read


def create_topic(bootstrap, topic, partitions):
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])
    described = admin.describe_topics([topic])[0]
    listed = topic in admin.list_topics()
    admin.close()
    return {"partitions": len(described["partitions"]), "listed": listed}


if __name__ == "__main__":
    harness.main(sys.modules[__name__])
