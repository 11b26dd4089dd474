#!/usr/bin/python3
"""numpy peer of the `features` benchmark: the same per-event pulse features as BeamDAQ's FeatureExtractor,
batched over events the way a numpy analysis would do it.

usage: features_peer.py FILE EVENTS CHANNELS SAMPLES PRE LSB FS CLIP_HIGH CLIP_LOW SECONDS ROUNDS
FILE holds EVENTS x CHANNELS x SAMPLES little-endian int16 codes. Prints one JSON object.
"""
import json
import sys
import time

import numpy as np

BATCH = 256  # events per batch: large enough to amortise numpy's per-call overhead, small enough for the cache


def features(c, pre, lsb, fs, clip_high, clip_low):
    base = c[:, :, :pre]
    sig = c[:, :, pre:]
    mean = base.mean(axis=2, dtype=np.float64)
    rms = lsb * base.std(axis=2, dtype=np.float64)
    peak = sig.max(axis=2)
    low = sig.min(axis=2)
    peak_index = sig.argmax(axis=2) + pre
    # int32 sums are exact below 65,536 samples (|code| <= 32,768) and twice as fast as int64 ones.
    total = sig.sum(axis=2, dtype=np.int32 if sig.shape[2] < 65536 else np.int64)
    amplitude = lsb * (peak - mean)
    integral = lsb * (total - sig.shape[2] * mean) / fs
    peak_time = (peak_index - pre) / fs
    over = (peak >= clip_high) | (low <= clip_low) | (base.max(axis=2) >= clip_high) | (base.min(axis=2) <= clip_low)
    return lsb * mean, rms, amplitude, integral, peak_time, peak_index, over


def main():
    path = sys.argv[1]
    events, channels, samples, pre = (int(x) for x in sys.argv[2:6])
    lsb, fs = float(sys.argv[6]), float(sys.argv[7])
    clip_high, clip_low = int(sys.argv[8]), int(sys.argv[9])
    seconds, rounds = float(sys.argv[10]), int(sys.argv[11])
    codes = np.fromfile(path, dtype='<i2').reshape(events, channels, samples)

    def run_all():
        out = None
        for start in range(0, events, BATCH):
            out = features(codes[start:start + BATCH], pre, lsb, fs, clip_high, clip_low)
        return out

    # Checksums over all events, to show both sides computed the same features.
    parts = [features(codes[s:s + BATCH], pre, lsb, fs, clip_high, clip_low) for s in range(0, events, BATCH)]
    amplitude_sum = float(sum(p[2].sum() for p in parts))
    integral_sum = float(sum(p[3].sum() for p in parts))
    rms_sum = float(sum(p[1].sum() for p in parts))
    peak_index_sum = int(sum(int(p[5].sum()) for p in parts))
    over_count = int(sum(int(p[6].sum()) for p in parts))

    run_all()  # warm-up
    rates = []
    for _ in range(rounds):
        done = 0
        start = time.perf_counter()
        while True:
            run_all()
            done += events
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        rates.append(done / elapsed)
    rates.sort()
    print(json.dumps({
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "events_per_s": rates[len(rates) // 2],
        "amplitude_sum": amplitude_sum,
        "integral_sum": integral_sum,
        "rms_sum": rms_sum,
        "peak_index_sum": peak_index_sum,
        "over_range": over_count,
    }))


if __name__ == "__main__":
    main()
