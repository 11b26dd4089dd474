#!/usr/bin/python3
"""Peer of the monitor-latency benchmark: the transport floor of the same events.

A plain pyzmq SUB on the daq's PUB, beside the monitor, receiving the same `evt` messages: for each it records
(receive time - t_ns), the part of trigger-to-browser latency that the daq and ZeroMQ alone account for.
Usage: monitor_latency_peer.py ADDR SECONDS_IDLE_TO_STOP; prints one JSON object on stdout.
"""
import json
import sys
import time

import msgpack
import zmq


def main():
    address, idle = sys.argv[1], float(sys.argv[2])
    context = zmq.Context()
    socket = context.socket(zmq.SUB)
    socket.setsockopt(zmq.RCVHWM, 100000)
    socket.setsockopt(zmq.SUBSCRIBE, b"evt")
    socket.connect(address)
    print("ready", file=sys.stderr, flush=True)
    latencies = []
    # Wait long for the first event (the daq starts after us), then stop once the run has been quiet for `idle` s.
    socket.RCVTIMEO = 60000
    while True:
        try:
            _, payload = socket.recv_multipart()
        except zmq.Again:
            break
        now = time.time_ns()
        message = msgpack.unpackb(payload, raw=False)
        latencies.append((now - message["t_ns"]) / 1e6)
        socket.RCVTIMEO = int(idle * 1000)
    latencies.sort()
    n = len(latencies)
    result = {
        "peer": f"pyzmq {zmq.__version__}, msgpack {'.'.join(map(str, msgpack.version))}",
        "events": n,
        "median_ms": latencies[n // 2] if n else None,
        "p99_ms": latencies[min(n - 1, int(0.99 * n))] if n else None,
        "max_ms": latencies[-1] if n else None,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
