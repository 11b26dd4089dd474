"""Test peer: reads run files through the read_bdq.py example of docs/format.md and prints JSON.

    check_bdq.py EXAMPLE_DIR summary FILE   -> {"records": [...], "end_state", "end_offset"}
    check_bdq.py EXAMPLE_DIR crc            -> one CRC-32C per hex line on stdin
Only the standard library, msgpack and the documented example are used, as an analyst would.
"""
import hashlib
import json
import struct
import sys

sys.path.insert(0, sys.argv[1])
import msgpack  # noqa: E402
from read_bdq import RunFile, crc32c  # noqa: E402


def plain(value):
    """msgpack values as JSON: bin -> {"hex": ...}, timestamps -> {"ts": seconds}."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return {"hex": bytes(value).hex()}
    if isinstance(value, msgpack.Timestamp):
        return {"ts": value.to_unix_nano()}
    if isinstance(value, msgpack.ExtType):
        return {"ext": value.code, "hex": value.data.hex()}
    return value


def decode(topic, payload):
    try:
        message = msgpack.unpackb(payload, raw=False, strict_map_key=False)
    except Exception as e:  # not MessagePack: the record is still checked by its bytes
        return {"undecodable": type(e).__name__}
    if topic == "evt" and isinstance(message, dict):
        # the documented way to get samples: little-endian int16
        for ch in message.get("ch", []):
            s = ch.pop("s")
            ch["samples"] = list(struct.unpack(f"<{len(s) // 2}h", s))
    return plain(message)


def summary(path):
    records = []
    with RunFile(path) as run:
        for offset, topic, payload in run:
            records.append({
                "offset": offset,
                "topic": topic,
                "length": len(payload),
                "sha256": hashlib.sha256(payload).hexdigest(),
                "message": decode(topic, payload),
            })
        return {"records": records, "end_state": run.end_state, "end_offset": run.end_offset}


def main():
    mode = sys.argv[2]
    if mode == "summary":
        json.dump(summary(sys.argv[3]), sys.stdout)
    elif mode == "crc":
        for line in sys.stdin:
            print(crc32c(bytes.fromhex(line.strip())))
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
