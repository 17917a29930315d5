#!/usr/bin/env python3
"""Wall time of whole `edict` processes, the figures a scanner that runs one process per app sees:
`--version`, then `edict run` of the standard library over one app's facts with the interpreter,
the default engine and the JIT (plan and code cached), and the JIT with an empty cache. Each
process is fresh; the cache directory is a new temporary one. Prints the minimum and the median
of RUNS runs per case (docs/performance.md, the round of 131e350 and 06648ad).

usage: bench/process_times.py [--edict build-rel/edict] [--runs 7] [--facts FILE]
(run from the repository root)"""

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time


def wall_ms(command, env):
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return (time.perf_counter() - start) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edict", default="build-rel/edict")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--facts", default="examples/apps/qingbao-news-4.1.0.jsonl")
    args = parser.parse_args()

    cache = tempfile.mkdtemp(prefix="edict-process-times-")
    env = dict(os.environ, EDICT_CACHE_DIR=cache)
    run = [args.edict, "run", "--rules", "stdlib-rules/cn-app-privacy", args.facts]
    cases = [
        ("--version", [args.edict, "--version"], False),
        ("run --engine interp (plan cached)", run + ["--engine", "interp"], False),
        ("run, default engine (plan cached)", run, False),
        ("run --engine jit (plan and code cached)", run + ["--engine", "jit"], False),
        ("run --engine jit (empty cache)", run + ["--engine", "jit"], True),
    ]
    wall_ms(run + ["--engine", "jit"], env)  # fills the cache for the cached cases
    print(f"{'fresh process, wall ms':44} {'min':>8} {'median':>8}   ({args.runs} runs each)")
    for name, command, empty_cache in cases:
        times = []
        for _ in range(args.runs):
            if empty_cache:
                shutil.rmtree(cache)
                os.mkdir(cache)
            times.append(wall_ms(command, env))
        print(f"  {name:42} {min(times):8.1f} {statistics.median(times):8.1f}")
    shutil.rmtree(cache)


if __name__ == "__main__":
    main()
