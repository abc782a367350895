"""The command line every Python client harness of kq's client matrix shares (test/clients/drivers/python.ts).

    python <client>_harness.py BOOTSTRAP version
    python <client>_harness.py BOOTSTRAP produce TOPIC COUNT MODE     (MODE: acks 0, 1 or all; idempotent; default)
    python <client>_harness.py BOOTSTRAP group TOPIC GROUP EXPECTED
    python <client>_harness.py BOOTSTRAP create TOPIC PARTITIONS

Each prints one JSON object on stdout; a failure raises (a traceback on stderr, exit 1). Waits are bounded by
DEADLINE_S here and by the test, which kills the process group.
"""
import json
import sys
import time

DEADLINE_S = 30


def values(count):
    return [f"v{i}" for i in range(count)]


def deadline():
    return time.monotonic() + DEADLINE_S


def main(client):
    bootstrap, command, *args = sys.argv[1:]
    if command == "version":
        result = client.version()
    elif command == "produce":
        topic, count, mode = args
        client.produce(bootstrap, topic, int(count), None if mode == "default" else mode)
        result = {"sent": int(count)}
    elif command == "group":
        topic, group, expected = args
        result = {"values": client.consume_in_group(bootstrap, topic, group, int(expected))}
    elif command == "create":
        topic, partitions = args
        result = client.create_topic(bootstrap, topic, int(partitions))
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(result), flush=True)
