#!/usr/bin/python3
"""Python side of the interop test: subscribe to a BeamDAQ publisher with Debian's python3-zmq and
python3-msgpack only, and check every field of the `evt` messages against the expected values.

usage: evt_subscriber.py ENDPOINT EXPECTED_JSON

Prints "ready" once a `hello` message has arrived (the connection and subscription are in place), then
receives len(expected) `evt` messages and prints "ok N". Any mismatch is printed to stderr; exit code 1.

The publisher sends only `hello` and `evt`, so from the first message on `seq` (all topics) rises by one from
message to message, and `tseq` (per topic) numbers the events 1, 2, 3, ...
"""
import json
import sys

import msgpack
import zmq

EVT_KEYS = {"v", "seq", "tseq", "run", "trg", "t_ns", "flags", "fs", "pre", "ch"}
CH_KEYS = {"id", "range", "bits", "lsb", "off", "s"}


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def check(label, actual, expected, kind):
    if type(actual) is not kind:
        fail(f"{label}: expected a {kind.__name__}, got {type(actual).__name__} {actual!r}")
    if actual != expected:
        fail(f"{label}: expected {expected!r}, got {actual!r}")


def main():
    endpoint, expected_path = sys.argv[1], sys.argv[2]
    with open(expected_path) as f:
        expected = json.load(f)

    ctx = zmq.Context()
    sub = ctx.socket(zmq.SUB)
    sub.setsockopt(zmq.LINGER, 0)
    sub.setsockopt(zmq.RCVTIMEO, 15000)
    sub.setsockopt(zmq.SUBSCRIBE, b"hello")
    sub.setsockopt(zmq.SUBSCRIBE, b"evt")
    sub.connect(endpoint)

    topic, payload = sub.recv_multipart()
    last_seq = msgpack.unpackb(payload, raw=False)["seq"]
    print("ready", flush=True)

    received = 0
    while received < len(expected):
        try:
            frames = sub.recv_multipart()
        except zmq.Again:
            fail(f"only {received} of {len(expected)} evt messages arrived")
        if len(frames) != 2:
            fail(f"message has {len(frames)} frames; expected 2")
        topic, payload = frames
        m = msgpack.unpackb(payload, raw=False)
        check(f"{topic!r} seq", m["seq"], last_seq + 1, int)
        last_seq = m["seq"]
        if topic == b"hello":
            continue
        check("topic", topic, b"evt", bytes)
        e = expected[received]
        label = f"evt #{received + 1}"
        if set(m) != EVT_KEYS:
            fail(f"{label}: keys {sorted(m)}; expected {sorted(EVT_KEYS)}")
        if list(m)[:3] != ["v", "seq", "tseq"]:
            fail(f"{label}: the map starts with {list(m)[:3]}; expected v, seq, tseq")
        check(f"{label} v", m["v"], 1, int)
        check(f"{label} tseq", m["tseq"], received + 1, int)
        for key in ("run", "trg", "t_ns", "flags", "pre"):
            check(f"{label} {key}", m[key], e[key], int)
        check(f"{label} fs", m["fs"], e["fs"], float)
        if len(m["ch"]) != len(e["ch"]):
            fail(f"{label}: {len(m['ch'])} channels; expected {len(e['ch'])}")
        for i, (c, ec) in enumerate(zip(m["ch"], e["ch"])):
            clabel = f"{label} ch[{i}]"
            if set(c) != CH_KEYS:
                fail(f"{clabel}: keys {sorted(c)}; expected {sorted(CH_KEYS)}")
            check(f"{clabel} id", c["id"], ec["id"], int)
            check(f"{clabel} bits", c["bits"], ec["bits"], int)
            for key in ("range", "lsb", "off"):
                check(f"{clabel} {key}", c[key], ec[key], float)
            check(f"{clabel} s", c["s"], bytes.fromhex(ec["s"]), bytes)
        received += 1

    print(f"ok {received}", flush=True)
    sub.close()
    ctx.term()


if __name__ == "__main__":
    main()
