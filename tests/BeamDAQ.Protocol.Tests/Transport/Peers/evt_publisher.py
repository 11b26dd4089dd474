#!/usr/bin/python3
"""Python side of the interop test: a publisher written with Debian's python3-zmq and python3-msgpack only,
sending `evt` messages the way DESIGN §4 documents them, with a deliberate sequence gap, a publisher restart,
and malformed messages, so that the C# subscriber's accounting can be checked.

usage: evt_publisher.py

Binds an XPUB socket on tcp://127.0.0.1:*, prints its endpoint, waits until a subscription to `evt` has
arrived (so nothing is lost to a slow joiner), publishes the script below, prints "done" and waits for a
line on stdin before closing.

Like a publisher of an analyst's own, it keeps one count only: `seq`, no `tseq` (an extra key BeamDAQ's
publishers add), so the subscriber counts losses from `seq` — right here, since `evt` is all it sends.

The script (seq values): 1 2 3 4 5, gap (6 7 never sent), 8 9 10, malformed x2, restart: 1 2 3.
The fields of each event derive from k, its position in the script (1..11), which is also trg - 1000.
"""
import struct
import sys

import msgpack
import zmq


def event(k, seq):
    n = 64 + k
    codes = [((i * 37 * k) % 16384) - 8192 for i in range(n)]
    return {
        "v": 1,
        "seq": seq,
        "run": 77,
        "trg": 1000 + k,
        "t_ns": 1_700_000_000_000_000_000 + k * 1_000_003,
        "flags": k % 64,
        "fs": 1e9 / k,
        "pre": 3 * k,
        "ch": [
            {"id": 1, "range": 0.8, "bits": 14, "lsb": 0.8 / 8192, "off": -0.01 * k,
             "s": struct.pack(f"<{n}h", *codes)},
            {"id": 3, "range": 4.0, "bits": 14, "lsb": 4.0 / 8192, "off": 0.0,
             "s": struct.pack(f"<{n}h", *reversed(codes))},
        ],
    }


def main():
    ctx = zmq.Context()
    pub = ctx.socket(zmq.XPUB)
    pub.setsockopt(zmq.LINGER, 5000)
    pub.setsockopt(zmq.RCVTIMEO, 15000)
    pub.bind("tcp://127.0.0.1:*")
    print(pub.getsockopt(zmq.LAST_ENDPOINT).decode(), flush=True)

    while True:
        subscription = pub.recv()  # b"\x01" + prefix
        if subscription == b"\x01evt":
            break

    def send(topic, payload):
        pub.send_multipart([topic, payload])

    k = 0
    for seq in (1, 2, 3, 4, 5, 8, 9, 10):
        k += 1
        send(b"evt", msgpack.packb(event(k, seq), use_bin_type=True))
    send(b"evt", b"\xc1 never a valid msgpack byte")
    pub.send(b"evt")  # a topic without a payload frame
    for seq in (1, 2, 3):
        k += 1
        send(b"evt", msgpack.packb(event(k, seq), use_bin_type=True))

    print("done", flush=True)
    sys.stdin.readline()
    pub.close()
    ctx.term()


if __name__ == "__main__":
    main()
