#!/usr/bin/env python3
"""Draws the benchmark plots from the CSV files in benchmarks/results/ into docs/images/ as SVG.

Plain Python 3, no third-party packages: the SVG is written by hand, so the plots come out the same on every
machine. A missing CSV file skips its plot with a note.

    python3 benchmarks/plot.py [results-dir] [images-dir]
"""

import csv
import os
import sys
from html import escape

COLORS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948"]


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def nice_max(value):
    """A round axis maximum at or above value."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def grouped_bars(path, title, y_label, groups, series, values, errors=None, note=""):
    """groups: x labels; series: bar names; values[g][s]: height; errors[g][s]: (low, high) or None."""
    width, height = 760, 420
    left, right, top, bottom = 80, 20, 50, 90
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = max([v for row in values for v in row if v is not None] +
                    [e[1] for row in (errors or []) for e in row if e is not None] + [0])
    y_max = nice_max(top_value * 1.05)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="24" text-anchor="middle" font-size="15">{escape(title)}</text>']
    for i in range(6):
        value = y_max * i / 5
        y = top + plot_h - plot_h * i / 5
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value:,.0f}</text>')
    out.append(f'<text x="18" y="{top + plot_h / 2}" text-anchor="middle" '
               f'transform="rotate(-90 18 {top + plot_h / 2})">{escape(y_label)}</text>')
    group_w = plot_w / max(1, len(groups))
    bar_w = group_w * 0.8 / max(1, len(series))
    for g, group in enumerate(groups):
        x0 = left + g * group_w + group_w * 0.1
        for s in range(len(series)):
            value = values[g][s]
            if value is None:
                continue
            h = plot_h * value / y_max
            x = x0 + s * bar_w
            out.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
                       f'fill="{COLORS[s % len(COLORS)]}"><title>{escape(series[s])}: {value:,.1f}</title></rect>')
            out.append(f'<text x="{x + bar_w / 2 - 1:.1f}" y="{top + plot_h - h - 4:.1f}" text-anchor="middle" '
                       f'font-size="10">{value:,.0f}</text>')
            if errors and errors[g][s] is not None:
                low, high = errors[g][s]
                cx = x + bar_w / 2 - 1
                y_low = top + plot_h - plot_h * low / y_max
                y_high = top + plot_h - plot_h * high / y_max
                out.append(f'<line x1="{cx:.1f}" y1="{y_low:.1f}" x2="{cx:.1f}" y2="{y_high:.1f}" stroke="black"/>')
                for y in (y_low, y_high):
                    out.append(f'<line x1="{cx - 4:.1f}" y1="{y:.1f}" x2="{cx + 4:.1f}" y2="{y:.1f}" stroke="black"/>')
        out.append(f'<text x="{x0 + group_w * 0.4:.1f}" y="{top + plot_h + 18}" text-anchor="middle">'
                   f'{escape(group)}</text>')
    out.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="black"/>')
    legend_x = left
    for s, name in enumerate(series):
        out.append(f'<rect x="{legend_x}" y="{height - 48}" width="12" height="12" fill="{COLORS[s % len(COLORS)]}"/>')
        out.append(f'<text x="{legend_x + 16}" y="{height - 38}">{escape(name)}</text>')
        legend_x += 30 + 7 * len(name)
    if note:
        out.append(f'<text x="{left}" y="{height - 14}" font-size="10" fill="#555">{escape(note)}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    print("wrote", path)


def read_if_present(results, name, what):
    """The rows of results/name, or None (with a note) when the file is missing."""
    path = os.path.join(results, name)
    if not os.path.exists(path):
        print(f"skipped {what}: {path} is missing")
        return None
    return read(path)


def unary(results, images):
    rows = read_if_present(results, "unary-rpc.csv", "unary RPC plots")
    if rows is None:
        return
    concurrencies = sorted({int(r["concurrency"]) for r in rows})
    clients = []
    for r in rows:
        if r["client"] not in clients:
            clients.append(r["client"])
    by = {(int(r["concurrency"]), r["client"]): r for r in rows}
    groups = [f"concurrency {c}" for c in concurrencies]

    def table(key, low=None, high=None):
        values, errors = [], []
        for c in concurrencies:
            values.append([float(by[(c, n)][key]) if (c, n) in by else None for n in clients])
            errors.append([(float(by[(c, n)][low]), float(by[(c, n)][high])) if low and (c, n) in by else None
                           for n in clients])
        return values, errors

    values, errors = table("throughput_mean", "throughput_min", "throughput_max")
    grouped_bars(os.path.join(images, "unary-rpc-throughput.svg"), "Unary RPC throughput (higher is better)",
                 "calls/s", groups, clients, values, errors, "bars: mean of the runs; whiskers: min-max")
    values, errors = table("p99_us_mean", "p99_us_min", "p99_us_max")
    grouped_bars(os.path.join(images, "unary-rpc-p99.svg"), "Unary RPC p99 latency (lower is better)",
                 "p99 latency (µs)", groups, clients, values, errors, "bars: mean of the runs; whiskers: min-max")


def startup(results, images):
    rows = read_if_present(results, "startup.csv", "startup plot")
    if rows is None:
        return
    grouped_bars(os.path.join(images, "startup.svg"), "JVM launch to first successful call (lower is better)",
                 "ms", [r["app"] for r in rows], ["first call"],
                 [[float(r["first_call_ms_mean"])] for r in rows],
                 [[(float(r["first_call_ms_min"]), float(r["first_call_ms_max"]))] for r in rows],
                 "bars: mean of the runs; whiskers: min-max")


def allocation(results, images):
    rows = read_if_present(results, "allocation.csv", "allocation plot")
    if rows is None:
        return
    rows = [r for r in rows if r["path"] != "other"]
    grouped_bars(os.path.join(images, "allocation.svg"), "Bytes allocated per unary call (lower is better)",
                 "bytes/call", [r["path"] for r in rows], ["bytes per call"],
                 [[float(r["bytes_per_call_mean"])] for r in rows],
                 [[(float(r["bytes_per_call_min"]), float(r["bytes_per_call_max"]))] for r in rows])


def nearest_rank(sorted_values, q):
    if not sorted_values:
        return 0.0
    index = max(0, min(len(sorted_values) - 1, -(-int(q * 1000) * len(sorted_values) // 1000) - 1))
    return sorted_values[index]


def discovery(results, images):
    registries = [("etcd", "discovery-propagation.csv"), ("Consul", "discovery-propagation-consul.csv")]
    present = [(name, os.path.join(results, f)) for name, f in registries if os.path.exists(os.path.join(results, f))]
    if not present:
        print("skipped discovery plot: no discovery-propagation*.csv in", results)
        return
    changes = [("register_to_seen_ms", "register -> seen by a client"),
               ("deregister_to_gone_ms", "deregister -> gone at a client")]
    series, columns = [], []
    for name, path in present:
        rows = read(path)
        for q, label in ((0.50, "p50"), (0.99, "p99")):
            series.append(f"{name} {label}")
            columns.append([nearest_rank(sorted(float(r[key]) for r in rows), q) for key, _ in changes])
    values = [[column[g] for column in columns] for g in range(len(changes))]
    grouped_bars(os.path.join(images, "discovery-propagation.svg"),
                 "Discovery propagation (lower is better)", "ms", [label for _, label in changes], series, values,
                 note="nearest-rank percentiles over every trial of the last run")


def rabbitmq(results, images):
    rows = read_if_present(results, "rabbitmq-broker.csv", "RabbitMQ plot")
    if rows is None:
        return
    modes, clients = [], []
    for r in rows:
        if r["mode"] not in modes:
            modes.append(r["mode"])
        if r["client"] not in clients:
            clients.append(r["client"])
    by = {(r["mode"], r["client"]): float(r["throughput_msgs_per_s"]) for r in rows}
    grouped_bars(os.path.join(images, "rabbitmq-broker.svg"),
                 "RabbitMQ publish -> deliver with confirms (higher is better)", "messages/s", modes, clients,
                 [[by.get((m, c)) for c in clients] for m in modes], note="one run")


def main():
    results = sys.argv[1] if len(sys.argv) > 1 else "benchmarks/results"
    images = sys.argv[2] if len(sys.argv) > 2 else "docs/images"
    os.makedirs(images, exist_ok=True)
    unary(results, images)
    startup(results, images)
    allocation(results, images)
    discovery(results, images)
    rabbitmq(results, images)


if __name__ == "__main__":
    main()
