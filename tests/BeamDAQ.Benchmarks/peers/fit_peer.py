#!/usr/bin/python3
"""Peer of the `fit` benchmark: the same compound-Poisson FFT model as BeamDAQ's SpectrumModel, written with
numpy and minimised with iminuit (MIGRAD + HESSE) on the same histograms, windows and seeds.

usage: fit_peer.py INPUT.json  ->  one JSON object on stdout

Model (as in BeamDAQ): standard Landau density tabulated once by FFT of its characteristic function,
truncated-Landau single-electron response sampled on the window (cubic Hermite between table nodes, the cell
at the cap weighted by its share), phi1 by real FFT, Phi = exp(lambda (phi1 - 1) + i t (pedestal - origin)
- noise^2 t^2 / 2) sinc(t w / 2), folded onto the coarse points and inverse-transformed: bin probabilities,
underflow = pad bins, overflow = the rest. Extended binned Poisson deviance. Numerical gradients (iminuit).
"""
import json
import statistics
import sys
import time

import numpy as np
from iminuit import Minuit

MOST_PROBABLE = -0.2227829812
DIGAMMA3 = 0.9227843350984671


def landau_tables():
    step, n, low = 1.0 / 32, 1 << 17, -16.0
    period = n * step
    t = 2 * np.pi * np.arange(n // 2 + 1) / period
    safe = np.where(t > 0, t, 1.0)
    phi = np.exp(-0.5 * np.pi * t - 1j * t * np.log(safe)) * np.exp(-1j * t * low)
    phi[0] = 1.0
    y = low + step * np.arange(n)
    tables = []
    for d in range(2):
        spec = phi * ((-1j * t) ** d)
        values = np.fft.irfft(np.conj(spec), n) * n / period
        images = y[None, :] + period * np.arange(1, 9)[:, None]
        if d == 0:
            values -= (1 / images ** 2 + 2 * (np.log(images) - DIGAMMA3) / images ** 3).sum(0)
            values -= 1 / (period * (8.5 * period + y))
        else:
            values -= (-2 / images ** 3 + (2 / images - 6 * (np.log(images) - DIGAMMA3) / images) / images ** 3).sum(0)
            values -= -1 / (period * (8.5 * period + y) ** 2)
        tables.append(values)
    keep = y <= 2000
    p, dp = tables[0][keep], tables[1][keep]
    far = (y[keep] < -6) & (np.abs(p) < 1e-14)
    p[far] = 0
    dp[far] = 0
    p = np.maximum(p, 0)
    return low, step, p, dp


LOW, STEP, P, DP = landau_tables()


def landau_density(y):
    pos = (y - LOW) / STEP
    i = np.clip(pos.astype(np.int64), 0, len(P) - 2)
    s = pos - i
    s2, s3 = s * s, s * s * s
    h00, h10, h01, h11 = 2 * s3 - 3 * s2 + 1, s3 - 2 * s2 + s, -2 * s3 + 3 * s2, s3 - s2
    value = h00 * P[i] + h10 * STEP * DP[i] + h01 * P[i + 1] + h11 * STEP * DP[i + 1]
    return np.where(y <= LOW, 0.0, value)


class Model:
    def __init__(self, spectrum, cap):
        g = spectrum["grid"]
        self.w = spectrum["bin_width"]
        self.bins = spectrum["bin_count"]
        self.pad = g["pad_bins"]
        self.k = g["oversample"]
        self.mc = g["coarse_length"]
        self.count = g["frequency_count"]
        self.period = self.mc * self.w / self.k
        self.origin = spectrum["low_edge"] + 0.5 * self.w - self.pad * self.w
        self.cap = cap
        m = np.arange(self.count)
        self.t = 2 * np.pi * m / self.period
        half = 0.5 * self.t * self.w
        self.sinc = np.where(m == 0, 1.0, np.sin(half) / np.where(half == 0, 1, half))
        self.nr = max(64, 1 << int(np.ceil(np.log2(2 * self.count))))
        self.h = self.period / self.nr
        # Fold map onto the Hermitian half of the coarse spectrum.
        r = m % self.mc
        self.direct = r <= self.mc // 2
        self.direct_index = r[self.direct]
        mirror = np.where(r == 0, 0, self.mc - r)
        self.mirror = (m > 0) & (mirror <= self.mc // 2)
        self.mirror_index = mirror[self.mirror]
        counts = [spectrum["underflow"]] + list(spectrum["counts"]) + [spectrum["overflow"]]
        self.n = np.array(counts, dtype=float)
        self.total = float(spectrum["entries"])
        self.nlogn = np.where(self.n > 0, self.n * np.log(np.where(self.n > 0, self.n, 1)), 0.0)

    def response(self, mpv, width):
        cap = self.cap * mpv
        h = self.h
        first = max(0, int(np.floor(mpv * (1 + width * (-16 - MOST_PROBABLE)) / h)))
        last = int(np.floor(cap / h + 0.5))
        i = np.arange(first, last + 1)
        x = i * h
        y = (x / mpv - 1) / width + MOST_PROBABLE
        cell = np.full(len(i), h)
        cell[i == 0] = 0.5 * h
        cell[-1] = cap - (x[-1] - 0.5 * h)
        weights = np.zeros(self.nr)
        weights[first:last + 1] = landau_density(y) / (width * mpv) * cell
        transform = np.fft.rfft(weights)
        return np.conj(transform) / transform[0].real

    def probabilities(self, lam, pedestal, noise, mpv, width):
        needed = int(np.ceil(np.sqrt(50) / noise / (2 * np.pi / self.period))) + 2
        count = min(needed, self.count)
        phi1 = self.response(mpv, width)[:count]
        t = self.t[:count]
        exponent = lam * (phi1 - 1) + 1j * t * (pedestal - self.origin) - 0.5 * noise * noise * t * t
        big = np.exp(exponent) * self.sinc[:count]
        folded = np.zeros(self.mc // 2 + 1, dtype=complex)
        direct, mirror = self.direct[:count], self.mirror[:count]
        np.add.at(folded, self.direct_index[: direct.sum()], np.conj(big[direct]))
        np.add.at(folded, self.mirror_index[: mirror.sum()], big[mirror])
        coarse = np.fft.irfft(folded, self.mc) * self.mc
        padded = coarse[0:(self.pad + self.bins) * self.k:self.k] * (self.k / self.mc)
        under = padded[: self.pad].sum()
        inside = padded[self.pad:]
        return np.concatenate(([under], inside, [1 - under - inside.sum()]))

    def deviance(self, lam, pedestal, noise, mpv, width):
        nu = np.maximum(self.total * self.probabilities(lam, pedestal, noise, mpv, width), 1e-300)
        return 2 * float(np.sum(nu - self.n) + np.sum(self.nlogn - self.n * np.log(nu)))


def fit_single(spectrum, cap):
    model = Model(spectrum, cap)
    lam, ped, noise, mpv, width = spectrum["seed"]

    def fcn(lam, pedestal, noise, mpv, width):
        return model.deviance(lam, pedestal, noise, mpv, width)

    m = Minuit(fcn, lam=lam, pedestal=ped, noise=noise, mpv=mpv, width=width)
    m.errordef = Minuit.LEAST_SQUARES
    m.limits["lam"] = (1e-9, None)
    m.limits["noise"] = (1e-9, None)
    m.limits["mpv"] = (1e-9, None)
    m.limits["width"] = (1e-9, None)
    m.migrad()
    m.hesse()
    return m, [("lam", 0)]


def fit_joint(spectra, response_seed, cap):
    models = [Model(s, cap) for s in spectra]
    names = ["mpv", "width"]
    start = {"mpv": response_seed[0], "width": response_seed[1]}
    for j, s in enumerate(spectra):
        for name, value in zip(("lam", "pedestal", "noise"), s["seed"][:3]):
            names.append(f"{name}{j}")
            start[f"{name}{j}"] = value

    def fcn(*p):
        mpv, width = p[0], p[1]
        return sum(model.deviance(p[2 + 3 * j], p[3 + 3 * j], p[4 + 3 * j], mpv, width) for j, model in enumerate(models))

    m = Minuit(fcn, *[start[n] for n in names], name=names)
    m.errordef = Minuit.LEAST_SQUARES
    for n in names:
        if not n.startswith("pedestal"):
            m.limits[n] = (1e-9, None)
    m.migrad()
    m.hesse()
    return m, [(f"lam{j}", j) for j in range(len(spectra))]


def timed(run, repeats):
    times, last = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        last = run()
        times.append(time.perf_counter() - start)
    m, lams = last
    return {
        "median_ms": 1000 * statistics.median(times),
        "converged": bool(m.valid),
        "nfcn": m.nfcn,
        "lambda": [m.values[name] for name, _ in lams],
        "lambda_error": [m.errors[name] for name, _ in lams],
    }


def main(path):
    with open(path) as f:
        spec = json.load(f)
    cap, repeats = spec["cap"], spec["repeats"]
    import iminuit

    result = {
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "iminuit": iminuit.__version__,
        "single": timed(lambda: fit_single(spec["single"], cap), repeats),
        "joint": timed(lambda: fit_joint(spec["joint"], spec["joint_response_seed"], cap), max(1, repeats // 2)),
    }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
