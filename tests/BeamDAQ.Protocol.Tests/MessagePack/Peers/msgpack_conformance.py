#!/usr/bin/python3
"""Conformance peer for BeamDAQ's MessagePack codec, run once per test run with Debian's python3-msgpack.

usage: msgpack_conformance.py CASES.jsonl RESULTS.jsonl

Each input line is one case: {"name", "value": <tagged value>, "single": bool, "csharp": hex of BeamDAQ's bytes}.
Tagged values keep what JSON cannot: {"t": "nil"|"bool"|"int"|"f64"|"f32"|"str"|"bin"|"arr"|"map"|"ext"|"ts", ...};
integers travel as decimal strings, floats as their IEEE bit patterns, maps as ordered [key, value] pairs.
For each case this writes {"name", "python": hex of msgpack.packb(value, use_bin_type=True), "unpack_ok": bool,
"detail": text} where unpack_ok says whether msgpack.unpackb(BeamDAQ's bytes) equals the value, type for type.
"""
import json
import math
import struct
import sys

import msgpack


def build(tagged):
    t = tagged["t"]
    if t == "nil":
        return None
    if t == "bool":
        return bool(tagged["v"])
    if t == "int":
        return int(tagged["v"])
    if t == "f64":
        return struct.unpack(">d", bytes.fromhex(tagged["bits"]))[0]
    if t == "f32":
        return struct.unpack(">f", bytes.fromhex(tagged["bits"]))[0]
    if t == "str":
        return tagged["v"]
    if t == "bin":
        return bytes.fromhex(tagged["hex"])
    if t == "arr":
        return [build(item) for item in tagged["v"]]
    if t == "map":
        return {key: build(value) for key, value in tagged["v"]}
    if t == "ext":
        return msgpack.ExtType(tagged["type"], bytes.fromhex(tagged["hex"]))
    if t == "ts":
        return msgpack.Timestamp(int(tagged["s"]), int(tagged["ns"]))
    raise ValueError("unknown tag %r" % t)


def same(got, expected):
    """Equality that also demands the same type, the same float bits and the same map order."""
    if type(got) is not type(expected):
        return False
    if isinstance(expected, float):
        if math.isnan(expected):
            return math.isnan(got)
        return struct.pack(">d", got) == struct.pack(">d", expected)
    if isinstance(expected, list):
        return len(got) == len(expected) and all(same(a, b) for a, b in zip(got, expected))
    if isinstance(expected, dict):
        return len(got) == len(expected) and all(
            ka == kb and same(va, vb) for (ka, va), (kb, vb) in zip(got.items(), expected.items()))
    return got == expected


def main(cases_path, results_path):
    with open(cases_path, encoding="utf-8") as cases, open(results_path, "w", encoding="utf-8") as results:
        for line in cases:
            case = json.loads(line)
            value = build(case["value"])
            packed = msgpack.packb(value, use_bin_type=True, use_single_float=case["single"])
            try:
                got = msgpack.unpackb(bytes.fromhex(case["csharp"]), raw=False)
                ok = same(got, value)
                detail = "" if ok else "unpacked " + repr(got)[:300]
            except Exception as error:  # report every failure as a value, never stop the run
                ok = False
                detail = "%s: %s" % (type(error).__name__, error)
            results.write(json.dumps({"name": case["name"], "python": packed.hex(), "unpack_ok": ok, "detail": detail}) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: msgpack_conformance.py CASES.jsonl RESULTS.jsonl")
    main(sys.argv[1], sys.argv[2])
