#!/usr/bin/env python3
"""CPython anchor for benches/sweep.rs: the same N and d, with the real weakref.

A WeakKeyDictionary (int values) or WeakSet over N live objects, each with a
64-byte payload; a fraction d of the keys dies. CPython reclaims an entry in
the weakref callback that runs when the key's last reference goes, so the
removal cannot be timed apart from the death. This script times killing d*N
random keys twice, with the collection and with no weak reference at all,
and reports the difference as the collection's reclamation cost:

    cpython/<WeakKeyDictionary|WeakSet>/<N>/<d>  ns per death  entries/s (N / time)

entries/s matches the Rust benches' throughput (entries of the collection
per second of reclamation). Run on request, not in CI:

    python3 benches/cpython_sweep.py            # every N and d
    python3 benches/cpython_sweep.py 100000     # one N
"""

import gc
import random
import statistics
import sys
import time
import weakref

SIZES = (10_000, 100_000, 1_000_000)
DEATH_RATES = (("0.1pct", 0.001), ("1pct", 0.01), ("10pct", 0.1), ("50pct", 0.5))


class Obj:
    """A weak-referenceable object with a 64-byte payload."""

    __slots__ = ("payload", "__weakref__")

    def __init__(self, i):
        self.payload = i.to_bytes(8, "little") * 8


def kill_time(n, deaths, kind, seed):
    """Seconds to kill `deaths` random keys of `n`, with `kind` holding them weakly."""
    objs = [Obj(i) for i in range(n)]
    if kind == "WeakKeyDictionary":
        holder = weakref.WeakKeyDictionary((o, i) for i, o in enumerate(objs))
    elif kind == "WeakSet":
        holder = weakref.WeakSet(objs)
    else:
        holder = None
    victims = random.Random(seed).sample(range(n), deaths)
    gc.collect()
    gc.disable()
    started = time.perf_counter()
    for i in victims:
        objs[i] = None
    elapsed = time.perf_counter() - started
    gc.enable()
    if holder is not None:
        assert len(holder) == n - deaths, (kind, len(holder), n - deaths)
    return elapsed


def median_time(n, deaths, kind, repeats):
    return statistics.median(kill_time(n, deaths, kind, seed) for seed in range(repeats))


def main():
    sizes = tuple(int(arg) for arg in sys.argv[1:]) or SIZES
    print(f"# CPython {sys.version.split()[0]}; median of repeats; net = with the collection - without")
    print(f"{'id':44} {'ns/death':>10} {'entries/s':>12} {'net ms':>9}")
    for n in sizes:
        repeats = 3 if n >= 1_000_000 else 7
        for label, rate in DEATH_RATES:
            deaths = max(1, round(n * rate))
            bare = median_time(n, deaths, None, repeats)
            for kind in ("WeakKeyDictionary", "WeakSet"):
                net = max(median_time(n, deaths, kind, repeats) - bare, 1e-9)
                ident = f"cpython/{kind}/{n}/{label}"
                print(f"{ident:44} {net / deaths * 1e9:10.1f} {n / net:12.3e} {net * 1e3:9.3f}", flush=True)


if __name__ == "__main__":
    main()
