#!/usr/bin/python3
"""Python peer of the `acquisition` benchmark: the same acquire -> record -> publish path, in Python.

usage: acquisition_peer.py CHANNELS SAMPLES EVENTS DIRECTORY

Per event: copy a precomputed block of int16 samples into the acquisition buffer (the "read"), build the evt map
of docs/format.md, msgpack.packb it once, append a run-file record (u32 length, u32 crc, u8 topic length, topic,
payload) through a buffered file, and publish the same payload on a ZeroMQ PUB socket without blocking, with a
subscriber attached on a thread. The CRC is zlib's CRC-32: Python's standard library has no CRC-32C (Castagnoli),
and both cost one pass over the bytes. Prints one JSON object.
"""
import json
import os
import statistics
import struct
import sys
import threading
import time
import zlib

import msgpack
import numpy as np
import zmq


def main(channels, samples, events, directory):
    rng = np.random.default_rng(1)
    pool = [rng.integers(-2048, 2048, (channels, samples), dtype=np.int16) for _ in range(16)]
    block = np.zeros((channels, samples), dtype=np.int16)

    context = zmq.Context()
    publisher = context.socket(zmq.PUB)
    publisher.setsockopt(zmq.SNDHWM, 1000)
    port = publisher.bind_to_random_port("tcp://127.0.0.1")
    subscriber = context.socket(zmq.SUB)
    subscriber.setsockopt(zmq.SUBSCRIBE, b"")
    subscriber.connect(f"tcp://127.0.0.1:{port}")
    while True:  # the subscription is through once a probe arrives
        publisher.send_multipart([b"probe", b"\x80"])
        if subscriber.poll(20):
            subscriber.recv_multipart()
            break
    received = [0]
    stop = threading.Event()

    def listen():
        while not stop.is_set():
            if subscriber.poll(50):
                topic, _ = subscriber.recv_multipart()
                if topic == b"evt":
                    received[0] += 1

    listener = threading.Thread(target=listen)
    listener.start()

    path = os.path.join(directory, f"acquisition-peer-{os.getpid()}.bdq")
    dead, dropped = [], 0
    topic = b"evt"
    with open(path, "wb", buffering=1 << 20) as f:
        f.write(b"BDQRUN01")
        start = time.perf_counter()
        for trg in range(1, events + 1):
            t0 = time.perf_counter()
            np.copyto(block, pool[trg % len(pool)])
            evt = {
                "v": 1, "seq": trg, "tseq": trg, "run": 1, "trg": trg, "t_ns": time.time_ns(), "flags": 0, "fs": 50e6,
                "pre": samples // 5,
                "ch": [{"id": i + 1, "range": 0.8, "bits": 12, "lsb": 0.8 / 2048, "off": 0.0, "s": block[i].tobytes()}
                       for i in range(channels)],
            }
            payload = msgpack.packb(evt, use_bin_type=True)
            body = bytes((len(topic),)) + topic + payload
            f.write(struct.pack("<II", len(payload), zlib.crc32(body)))
            f.write(body)
            try:
                publisher.send_multipart([topic, payload], flags=zmq.NOBLOCK)
            except zmq.Again:
                dropped += 1
            dead.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - start
    size = os.path.getsize(path)
    os.remove(path)
    stop.set()
    listener.join()
    publisher.close(0)
    subscriber.close(0)
    context.term()
    dead.sort()
    print(json.dumps({
        "events_per_s": events / elapsed,
        "mb_per_s": size / elapsed / 1e6,
        "event_bytes": len(payload),
        "dead_median_s": statistics.median(dead),
        "dead_p99_s": dead[min(len(dead) - 1, int(0.99 * len(dead)))],
        "received": received[0],
        "dropped": dropped,
        "python": sys.version.split()[0],
        "msgpack": ".".join(map(str, msgpack.version)),
        "pyzmq": zmq.pyzmq_version(),
    }))


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit("usage: acquisition_peer.py CHANNELS SAMPLES EVENTS DIRECTORY")
    main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
