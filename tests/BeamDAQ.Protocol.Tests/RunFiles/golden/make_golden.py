"""Produced golden-v01.bdq and golden-v01.json; they are committed and are not regenerated casually.

The file is written here, in Python, independently of the C# writer: the tests then require the C# writer
to produce the same bytes from the records in the manifest, and the C# and Python readers to read it back.
If the run-file format ever changes, it gets a new magic (BDQRUN02) and a new golden file beside this one.
The payloads follow the wire envelope of docs/format.md: `seq` counts the publisher's messages over all topics,
`tseq` its messages of each topic. They were regenerated once, when `tseq` joined the envelope: the payloads
changed, the record layout did not. To regenerate, delete both files first.

    /usr/bin/python3 make_golden.py    # writes into the current directory; refuses to overwrite
"""
import json
import os
import struct

import msgpack

MAGIC = b"BDQRUN01"


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


def samples(n, base, step):
    return struct.pack(f"<{n}h", *[max(-32768, min(32767, base + step * ((i * 37) % 101 - 50))) for i in range(n)])


T0 = 1_772_366_400_000_000_000  # 2026-03-01T12:00:00Z in ns
RUN = 42
messages = [
    ("run.begin", {"run": RUN, "t_ns": T0,
                   "config": {"digitizer": {"serial": 27917, "resolution_bits": 14, "sample_rate_hz": 3125000.0,
                                            "record_length": 64, "pre_ratio": 0.25,
                                            "channels": [{"id": 1, "range_v": 0.8, "coupling": "dc"}]},
                              "trigger": {"source": "EXT1", "edge": "rising"}},
                   "applied": {"sample_rate_hz": 3125000.0, "resolution_bits": 14, "record_length": 64,
                               "pre_samples": 16, "ranges_v": [0.8]},
                   "software": "0.1.0", "meta": {"operator": "shift crew", "comment": "golden file",
                                                 "beam_energy_mev": 2.7, "collimator_mm": [1.0, 2.0]}}),
    ("daq.status", {"state": "Running", "run": RUN, "trigger_rate_hz": 5.0, "events": 0,
                    "missed": 0, "dead_time_fraction": 0.0, "bytes_written": 1024, "device_state": "ok",
                    "dropped": 0, "t_ns": T0 + 500_000_000}),
]
for trg in (1, 2, 3):
    messages.append(("evt", {"run": RUN, "trg": trg, "t_ns": T0 + trg * 200_000_000,
                             "flags": 0 if trg != 2 else 0b1 | 0b100000, "fs": 3125000.0, "pre": 16,
                             "ch": [{"id": 1, "range": 0.8, "bits": 14, "lsb": 0.8 / 8192, "off": 0.0,
                                     "s": samples(64, -20 * trg, 7 * trg)}]}))
messages += [
    ("sc", {"t_ns": T0 + 700_000_000, "device": "magnet", "quantity": "current",
            "value": 12.345, "unit": "A"}),
    ("alarm", {"t_ns": T0 + 710_000_000, "source": "daq", "severity": "warning",
               "code": "trigger-rate-low", "message": "trigger rate 3.9 Hz is below 4 Hz"}),
    ("fit", {"run": RUN, "t_ns": T0 + 720_000_000, "lambda": 1.234, "lambda_error": 0.056,
             "converged": True, "lambda_lo": 1.18, "lambda_hi": 1.29, "chi2": 11.5, "ndf": 9, "p_value": 0.24,
             "events": 3, "lambda0": 1.2, "lambda_mean": 1.25, "model": "landau", "software": "0.1.0",
             "params": {"gain_v": 0.0123, "pedestal_v": -0.0004, "noise_v": 0.0011}}),
    ("run.end", {"run": RUN, "t_ns": T0 + 1_000_000_000, "events": 3, "missed": 0,
                 "reason": "stopped"}),
]


def with_envelope(messages):
    """Puts v, seq (all topics, from 1) and tseq (per topic, from 1) first in every map, as BeamDAQ's publishers do."""
    per_topic = {}
    for seq, (topic, body) in enumerate(messages, start=1):
        per_topic[topic] = per_topic.get(topic, 0) + 1
        yield topic, {"v": 1, "seq": seq, "tseq": per_topic[topic], **body}


def main():
    if os.path.exists("golden-v01.bdq") or os.path.exists("golden-v01.json"):
        raise SystemExit("golden files exist; they are never regenerated")
    out = bytearray(MAGIC)
    manifest = {"magic": MAGIC.decode(), "records": []}
    for topic, message in with_envelope(messages):
        payload = msgpack.packb(message, use_bin_type=True)
        t = topic.encode("ascii")
        body = bytes([len(t)]) + t + payload
        crc = crc32c(body)
        manifest["records"].append({"offset": len(out), "topic": topic, "crc": crc, "payload_hex": payload.hex()})
        out += struct.pack("<II", len(payload), crc) + body
    manifest["length"] = len(out)
    with open("golden-v01.bdq", "xb") as f:
        f.write(out)
    with open("golden-v01.json", "x") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
