#!/usr/bin/env python3
"""Tables for the README's Performance section, from criterion's results.

Run after `cargo bench --bench sweep` and `cargo bench --bench handles`:

    python3 benches/report.py [target/criterion] [--bytes-per-entry 35.7]

Reads every `new/benchmark.json` + `new/estimates.json` under the criterion
directory and prints Markdown: sweep medians and throughput per
implementation, each peer's time over weakarena's, ns per death, the
all-threads over one-thread speedup, the fraction of streaming bandwidth,
and the handle operations beside their peers. `--bytes-per-entry` is the
table bytes a streaming sweep reads per entry (`cargo bench --bench memory`
prints the WeakKeyMap's heap bytes per entry).
"""

import json
import pathlib
import sys

# collections/src/sweep.rs: a sweep streams when deaths * STREAM_RATIO >= entries.
STREAM_RATIO = 32
IMPLS = ("weakarena", "weakarena_1t", "slotmap", "generational_arena", "rc_weak", "weak_table")
RATES = (("0.1pct", 0.001), ("1pct", 0.01), ("10pct", 0.1), ("50pct", 0.5))
HANDLE_ROWS = (
    ("insert_remove", "weakarena", ("slotmap",)),
    ("get_random", "weakarena", ("slotmap",)),
    ("get_seq", "weakarena", ("slotmap",)),
    ("upgrade_drop", "weakarena", ("rc", "arc")),
    ("clone_drop", "weakarena", ("rc", "arc")),
    ("tracked_ref", "weakarena", ("rc_downgrade", "arc_downgrade")),
    ("finalizer", "weakarena", ("boxed_callback",)),
)


def load(root):
    """{full_id: (median ns, throughput dict)} for every benchmark under root."""
    results = {}
    for bench in root.glob("**/new/benchmark.json"):
        meta = json.loads(bench.read_text())
        estimates = json.loads((bench.parent / "estimates.json").read_text())
        results[meta["full_id"]] = (estimates["median"]["point_estimate"], meta.get("throughput"))
    return results


def per_element(results, full_id):
    """Median ns per counted element (per operation for the handle benches)."""
    ns, throughput = results[full_id]
    count = (throughput or {}).get("Elements") or 1
    return ns / count


def fmt_time(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def fmt_rate(per_second):
    """Entries per second, as M/s or G/s."""
    if per_second >= 1e9:
        return f"{per_second / 1e9:.3g} G/s"
    return f"{per_second / 1e6:.3g} M/s"


def sweep_tables(results, bytes_per_entry):
    sizes = sorted({int(k.split("/")[2]) for k in results if k.startswith("sweep/")})
    bandwidth = {t: results.get(f"bandwidth/read/{t}") for t in ("1t", "all")}
    gbps = {t: (256 << 20) / v[0] for t, v in bandwidth.items() if v}  # bytes per ns = GB/s
    for n in sizes:
        print(f"\n#### N = {n:,}: median time (throughput, entries/s); peers: their time ÷ weakarena's\n")
        print("| impl | " + " | ".join(label for label, _ in RATES) + " |")
        print("|---|" + "---|" * len(RATES))
        for impl in IMPLS:
            cells = []
            for label, _ in RATES:
                key = f"sweep/{impl}/{n}/{label}"
                if key not in results:
                    cells.append("–")
                    continue
                ns = results[key][0]
                base = results.get(f"sweep/weakarena/{n}/{label}")
                ratio = f", **{ns / base[0]:.1f}×**" if base and impl != "weakarena" else ""
                cells.append(f"{fmt_time(ns)} ({fmt_rate(n / ns * 1e9)}{ratio})")
            print(f"| `{impl}` | " + " | ".join(cells) + " |")
    print("\n#### weakarena: ns per death, all threads ÷ one thread, share of streaming bandwidth\n")
    print("Streaming sweeps (deaths × 32 ≥ N) read the whole table, %.1f B per entry; lookup sweeps"
          " read a few lines per death, so their bandwidth share is not meaningful.\n" % bytes_per_entry)
    print("| N | d | sweep | ns per death | one-thread time ÷ all-threads time | GB/s (all / 1t) | of streaming bandwidth (all / 1t) |")
    print("|---|---|---|---|---|---|---|")
    for n in sizes:
        for label, rate in RATES:
            all_t = results.get(f"sweep/weakarena/{n}/{label}")
            one_t = results.get(f"sweep/weakarena_1t/{n}/{label}")
            if not all_t or not one_t:
                continue
            deaths = max(1, round(n * rate))
            streams = deaths * STREAM_RATIO >= n
            speedup = f"{one_t[0] / all_t[0]:.2f}"
            if streams:
                read = [n * bytes_per_entry / t[0] for t in (all_t, one_t)]
                rates = f"{read[0]:.2f} / {read[1]:.2f}"
                share = f"{read[0] / gbps['all'] * 100:.0f} % / {read[1] / gbps['1t'] * 100:.0f} %" if len(gbps) == 2 else "–"
            else:
                rates, share = "–", "–"
            mode = "stream" if streams else "lookup"
            print(f"| {n:,} | {label} | {mode} | {all_t[0] / deaths:.1f} | {speedup} | {rates} | {share} |")
    if gbps:
        print("\nStreaming read bandwidth (bandwidth/read): " + ", ".join(f"{t}: {v:.2f} GB/s" for t, v in gbps.items()))


def handle_table(results):
    print("\n#### Handle operations: ns per operation (peer ÷ weakarena)\n")
    print("| operation | weakarena | peers |")
    print("|---|---|---|")
    for op, ours, peers in HANDLE_ROWS:
        key = f"handles/{op}/{ours}"
        if key not in results:
            continue
        mine = per_element(results, key)
        cells = []
        for peer in peers:
            peer_key = f"handles/{op}/{peer}"
            if peer_key in results:
                theirs = per_element(results, peer_key)
                cells.append(f"{peer} {theirs:.2f} ns (weakarena {mine / theirs:.2f}× its time)")
        print(f"| `{op}` | {mine:.2f} ns | " + "; ".join(cells) + " |")


def main():
    args = sys.argv[1:]
    bytes_per_entry = 35.7
    if "--bytes-per-entry" in args:
        at = args.index("--bytes-per-entry")
        bytes_per_entry = float(args[at + 1])
        del args[at : at + 2]
    root = pathlib.Path(args[0] if args else "target/criterion")
    results = load(root)
    if not results:
        sys.exit(f"no criterion results under {root}")
    sweep_tables(results, bytes_per_entry)
    handle_table(results)


if __name__ == "__main__":
    main()
