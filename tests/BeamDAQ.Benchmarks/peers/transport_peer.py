#!/usr/bin/python3
"""pyzmq side of the `transport` benchmark (Debian's python3-zmq): the same two-process PUB -> SUB measurement
as BeamDAQ's, over loopback TCP, with two frames per message (topic, payload).

usage:
  transport_peer.py pub ENDPOINT SIZE HWM COPY WAIT
                                                 bind ENDPOINT, print the bound endpoint, publish until killed;
                                                 WAIT 1 makes a full queue block the sender (ZMQ_XPUB_NODROP)
                                                 instead of PUB dropping the message
  transport_peer.py sub ENDPOINT COUNT HWM COPY WARMUP
                                                 connect, let WARMUP messages pass, time COUNT, print JSON

COPY is 1 for pyzmq's default copying send/recv, 0 for its zero-copy frames (copy=False); the suite passes
whichever is faster for the message size, so pyzmq is measured at its best.
"""
import json
import sys
import time

import zmq

TOPIC = b"evt"


def publish(endpoint, size, hwm, copy, wait):
    ctx = zmq.Context()
    pub = ctx.socket(zmq.PUB)
    pub.setsockopt(zmq.SNDHWM, hwm)
    pub.setsockopt(zmq.LINGER, 0)
    if wait:
        pub.setsockopt(zmq.XPUB_NODROP, 1)
    pub.bind(endpoint)
    print(pub.getsockopt(zmq.LAST_ENDPOINT).decode(), flush=True)
    payload = bytes(size)
    frames = [TOPIC, payload]
    send = pub.send_multipart
    while True:
        send(frames, copy=copy)


def subscribe(endpoint, count, hwm, copy, warmup):
    ctx = zmq.Context()
    sub = ctx.socket(zmq.SUB)
    sub.setsockopt(zmq.RCVHWM, hwm)
    sub.setsockopt(zmq.LINGER, 0)
    sub.setsockopt(zmq.RCVTIMEO, 30000)
    sub.setsockopt(zmq.SUBSCRIBE, TOPIC)
    sub.connect(endpoint)
    recv = sub.recv_multipart
    for _ in range(max(warmup, 1)):  # the clock starts once messages flow
        recv(copy=copy)
    start = time.perf_counter()
    total = 0
    for _ in range(count):
        frames = recv(copy=copy)
        total += len(frames[1])
    seconds = time.perf_counter() - start
    print(json.dumps({"count": count, "bytes": total, "seconds": seconds}), flush=True)
    sub.close()
    ctx.term()


def main():
    mode, endpoint = sys.argv[1], sys.argv[2]
    number, hwm, copy = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1"
    if mode == "pub":
        publish(endpoint, number, hwm, copy, sys.argv[6] == "1")
    elif mode == "sub":
        subscribe(endpoint, number, hwm, copy, int(sys.argv[6]))
    else:
        sys.exit(f"unknown mode {mode!r}; expected pub or sub")


if __name__ == "__main__":
    main()
