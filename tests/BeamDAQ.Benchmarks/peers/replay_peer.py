#!/usr/bin/python3
"""Peers of the replay suite (Debian's python3-zmq only).

  replay_peer.py sub ADDR IDLE_S   a pyzmq SUB on everything: prints "ready" once connecting, then counts messages and
                                   bytes until a run.end arrives or IDLE_S seconds pass without a message; prints JSON.
  replay_peer.py pub FILE ADDR     replays a .bdq run file with pyzmq as fast as it can: binds ADDR, waits 0.5 s for
                                   subscribers (as beamdaq-daq replay does), then reads record after record and publishes
                                   [topic, payload] without blocking (a full queue is counted as dropped); prints JSON.
                                   It does less than BeamDAQ's replay: no CRC-32C check and no replay marking.
"""
import json
import struct
import sys
import time

import zmq


def sub(address, idle_s):
    context = zmq.Context()
    socket = context.socket(zmq.SUB)
    socket.setsockopt(zmq.RCVHWM, 0)
    socket.setsockopt(zmq.SUBSCRIBE, b"")
    socket.connect(address)
    print("ready", flush=True)
    messages = data = 0
    run_end = False
    first = last = None
    poller = zmq.Poller()
    poller.register(socket, zmq.POLLIN)
    while True:
        if not poller.poll(idle_s * 1000 if messages else 120_000):
            break
        frames = socket.recv_multipart(copy=False)
        now = time.perf_counter()
        first = first or now
        last = now
        messages += 1
        data += sum(len(f) for f in frames)
        if frames[0].bytes == b"run.end":
            run_end = True
            break
    print(json.dumps({"messages": messages, "bytes": data, "run_end": run_end,
                      "seconds": (last - first) if first else 0.0}), flush=True)


def pub(path, address):
    context = zmq.Context()
    socket = context.socket(zmq.PUB)
    socket.setsockopt(zmq.SNDHWM, 1000)
    socket.bind(address)
    time.sleep(0.5)
    published = dropped = 0
    start = time.perf_counter()
    with open(path, "rb", buffering=1 << 20) as f:
        if f.read(8) != b"BDQRUN01":
            sys.exit(f"{path}: not a BeamDAQ run file")
        header = struct.Struct("<IIB")
        while True:
            head = f.read(9)
            if len(head) < 9:
                break
            length, _crc, topic_length = header.unpack(head)
            topic = f.read(topic_length)
            payload = f.read(length)
            if len(payload) < length:
                break
            try:
                socket.send_multipart([topic, payload], flags=zmq.NOBLOCK, copy=False)
                published += 1
            except zmq.Again:
                dropped += 1
    seconds = time.perf_counter() - start
    socket.close(linger=2000)
    context.term()
    print(json.dumps({"seconds": seconds, "published": published, "dropped": dropped,
                      "python": sys.version.split()[0], "pyzmq": zmq.__version__, "libzmq": zmq.zmq_version()}), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "sub":
        sub(sys.argv[2], float(sys.argv[3]))
    elif sys.argv[1] == "pub":
        pub(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
