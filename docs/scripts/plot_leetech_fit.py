#!/usr/bin/python3
"""Plot a multiplicity fit from `beamdaq-analysis fit --json` output (Debian python3 + matplotlib only).

usage: plot_leetech_fit.py FIT.json OUT.png

Top: the amplitude spectrum with the fitted model and its 0, 1, 2 ... electron components (log scale).
Bottom (when the JSON has a `lambda_zero_scan`): the zero-fraction λ0 against the pedestal cut, the fitted
model's prediction for the same cuts, and the fitted λ with its error band.
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def model_label(model):
    """`template-gauss:/long/path/file.csv` -> `template-gauss:file.csv`."""
    kind, _, path = model.partition(":")
    return f"{kind}:{path.split('/')[-1]}" if path else kind


def main(source, target):
    with open(source) as f:
        fit = json.load(f)
    h = fit["histogram"]
    n = h["bin_count"]
    width = (h["high_edge"] - h["low_edge"]) / n
    centres = [h["low_edge"] + (i + 0.5) * width for i in range(n)]
    counts = h["counts"]
    expected = fit["expected"]
    components = fit.get("components") or []
    scan = fit.get("lambda_zero_scan")
    unit = fit.get("unit") or ""

    rows = 2 if scan else 1
    fig, axes = plt.subplots(rows, 1, figsize=(9, 9 if scan else 5.5), squeeze=False)
    ax = axes[0][0]
    ax.errorbar(centres, counts, yerr=[c ** 0.5 for c in counts], fmt="o", ms=2.5, color="black", lw=0.8, label="data")
    ax.plot(centres, expected, color="tab:red", lw=1.6, label="fit")
    for k, component in enumerate(components[:8]):
        label = "pedestal (n = 0)" if k == 0 else f"n = {k}"
        ax.plot(centres, component, lw=0.9, ls="--", label=label)
    ax.set_yscale("log")
    ax.set_ylim(0.3, max(counts) * 2)
    top = max(c for c, k in zip(centres, counts) if k > 0)
    ax.set_xlim(h["low_edge"], top + 5 * width)
    ax.set_xlabel(f"amplitude ({unit})")
    ax.set_ylabel(f"bunches per {width:.2g} {unit}")
    interval = fit["lambda_interval"]
    ax.set_title(
        f"λ = {fit['lambda']:.3f} ± {fit['lambda_error']:.3f}  [{interval[0]:.3f}, {interval[1]:.3f}],  "
        f"χ²/ndf = {fit['chi2']:.0f}/{fit['ndf']},  model {model_label(fit['model'])}",
        fontsize=9,
    )
    ax.legend(fontsize=8, ncol=2)

    if scan:
        ax = axes[1][0]
        cuts = [s["cut"] for s in scan]
        ax.errorbar(cuts, [s["lambda_zero"] for s in scan], yerr=[s["lambda_zero_error"] for s in scan],
                    fmt="o", color="black", label="λ₀ = −ln(N₀/N), data")
        ax.plot(cuts, [s["lambda_zero_model"] for s in scan], "s--", color="tab:red", label="fitted model, same cut")
        lam, err = fit["lambda"], fit["lambda_error"]
        ax.axhspan(lam - err, lam + err, color="tab:blue", alpha=0.25, label=f"fitted λ = {lam:.3f} ± {err:.3f}")
        ax.axhline(lam, color="tab:blue", lw=1)
        ax.set_xlabel(f"pedestal cut ({unit})")
        ax.set_ylabel("λ₀")
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)

    fig.tight_layout()
    fig.savefig(target, dpi=110)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
