"""One run-control request from inside another network namespace (run under nsenter by the security tests).

    python3 req_client.py ENDPOINT TIMEOUT_S < request.json    # prints the reply map as JSON, or {"no_reply": "..."}
"""
import json
import sys

import msgpack
import zmq

endpoint, timeout_s = sys.argv[1], float(sys.argv[2])
request = json.load(sys.stdin)
context = zmq.Context()
socket = context.socket(zmq.REQ)
socket.setsockopt(zmq.LINGER, 0)
socket.connect(endpoint)
socket.send(msgpack.packb(request))
if socket.poll(int(timeout_s * 1000)):
    reply = msgpack.unpackb(socket.recv())
    print(json.dumps(reply, default=repr))
else:
    print(json.dumps({"no_reply": f"no reply from {endpoint} within {timeout_s} s"}))
