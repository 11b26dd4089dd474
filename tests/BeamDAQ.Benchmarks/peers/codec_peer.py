#!/usr/bin/python3
"""Python peer of the `codec` benchmark: msgpack.packb / unpackb of the same evt payload BeamDAQ encodes.

usage: codec_peer.py PAYLOAD_FILE SECONDS_PER_ROUND ROUNDS
Prints one JSON object: median encodes/s and decodes/s over the rounds, the payload size, and whether
packb(unpackb(payload)) reproduces BeamDAQ's bytes exactly.
"""
import json
import statistics
import sys
import time

import msgpack


def rate(operation, seconds):
    """Operations per second, timed in batches so the clock is read rarely."""
    batch, count = 100, 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(batch):
            operation()
        count += batch
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - start)


def main(path, seconds, rounds):
    with open(path, "rb") as f:
        payload = f.read()
    event = msgpack.unpackb(payload)
    identical = msgpack.packb(event, use_bin_type=True) == payload
    encode = lambda: msgpack.packb(event, use_bin_type=True)
    decode = lambda: msgpack.unpackb(payload)
    rate(encode, seconds / 4)  # warm-up
    rate(decode, seconds / 4)
    encodes = statistics.median(rate(encode, seconds) for _ in range(rounds))
    decodes = statistics.median(rate(decode, seconds) for _ in range(rounds))
    print(json.dumps({
        "encode_per_s": encodes,
        "decode_per_s": decodes,
        "payload_bytes": len(payload),
        "identical": identical,
        "python": sys.version.split()[0],
        "msgpack": ".".join(map(str, msgpack.version)),
    }))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: codec_peer.py PAYLOAD_FILE SECONDS_PER_ROUND ROUNDS")
    main(sys.argv[1], float(sys.argv[2]), int(sys.argv[3]))
