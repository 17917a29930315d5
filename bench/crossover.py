#!/usr/bin/env python3
# Where compiling the rules to native code starts to pay: end-to-end `edict run` times (fresh
# processes: compile, load, evaluate, write) of the interpreter and the JIT on sessions of several
# sizes, with an empty object cache (cold) and a filled one (warm), and the session size where the
# two cross, per pack and cache state. The thresholds of `--engine auto` (kAutoJitMinRecordsCold and
# kAutoJitMinRecordsWarm in runtime/api/include/edict/edict.h) come from it; `make crossover` runs
# it. A script rather than a mode of edict_bench: what a user pays includes process start, the
# caches on disk and the report, which only separate `edict` processes measure.
"""Usage: crossover.py [--edict build/edict] [--data build/bench] [--sizes 5000,10000,...]
                    [--packs stdlib-rules/cn-app-privacy,examples/quickstart] [--repeat 3] [--seed 7]

Sessions come from bench/gen_session.py (--seed, one session each) and are kept in --data as
session-<records>-seed<seed>.jsonl, the names `make bench` uses, so they are generated once. Wall
and CPU time (user + system, all threads) are each the best of --repeat runs; wall is what a user
waits, CPU what a busy machine disturbs least. A linear fit of each engine's times gives a second
estimate of the crossover, steadier than interpolating between two noisy sizes. `auto` is
`--engine auto`, the default of `edict run`, which should track the faster of the two."""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

ENGINES = ("interp", "jit", "auto")
STATES = ("cold", "warm")
HERE = os.path.dirname(os.path.abspath(__file__))


def session_file(data, records, seed):
    path = os.path.join(data, "session-%d-seed%d.jsonl" % (records, seed))
    if not os.path.exists(path):
        os.makedirs(data, exist_ok=True)
        print("generating %s" % path, file=sys.stderr)
        subprocess.run([sys.executable, os.path.join(HERE, "gen_session.py"), "--records", str(records),
                        "--seed", str(seed), "-o", path], check=True)
    return path


def run_once(edict, pack, engine, facts, cache_dir):
    """(wall, cpu) seconds of one `edict run`; its findings go to /dev/null (they are written all the
    same). CPU time (user + system, every thread) is what a busy machine disturbs least."""
    env = dict(os.environ, EDICT_CACHE_DIR=cache_dir)
    start = time.perf_counter()
    with subprocess.Popen([edict, "run", "--rules", pack, "--engine", engine, "--format", "json", facts],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env) as process:
        errors = process.stderr.read()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    if process.returncode not in (0, 1):
        sys.exit("crossover: edict run --engine %s failed (exit %d): %s" %
                 (engine, process.returncode, errors.decode(errors="replace").strip()))
    return elapsed, usage.ru_utime + usage.ru_stime


def best_time(edict, pack, engine, facts, state, warm_dir, scratch, repeat):
    """The best wall and the best CPU time of `repeat` runs."""
    runs = []
    for _ in range(repeat):
        if state == "warm":
            runs.append(run_once(edict, pack, engine, facts, warm_dir))
        else:
            cold_dir = tempfile.mkdtemp(dir=scratch)
            try:
                runs.append(run_once(edict, pack, engine, facts, cold_dir))
            finally:
                shutil.rmtree(cold_dir)
    return min(wall for wall, _ in runs), min(cpu for _, cpu in runs)


def crossing(sizes, interp, jit):
    """The session size where the JIT becomes faster, interpolated linearly between the last size
    where it is not and the next; a string when it is faster everywhere or nowhere measured."""
    faster = [j < i for i, j in zip(interp, jit)]
    if all(faster):
        return "< %d" % sizes[0]
    last_slower = max(k for k, f in enumerate(faster) if not f)
    if last_slower == len(sizes) - 1:
        return "> %d" % sizes[-1]
    k = last_slower
    gap_before = jit[k] - interp[k]
    gap_after = jit[k + 1] - interp[k + 1]
    return "%.0f" % (sizes[k] + (sizes[k + 1] - sizes[k]) * gap_before / (gap_before - gap_after))


def fitted_crossing(sizes, interp, jit):
    """N* = (jit fixed cost - interp fixed cost) / (interp per record - jit per record), from a
    least-squares line through each engine's times: steadier than one crossing under noise."""
    def fit(times):
        n = len(sizes)
        mean_x = sum(sizes) / n
        mean_y = sum(times) / n
        slope = (sum((x - mean_x) * (y - mean_y) for x, y in zip(sizes, times)) /
                 sum((x - mean_x) ** 2 for x in sizes))
        return mean_y - slope * mean_x, slope

    (interp_fixed, interp_per), (jit_fixed, jit_per) = fit(interp), fit(jit)
    if jit_per >= interp_per:
        return "none (the JIT is not faster per record)", interp_fixed, interp_per, jit_fixed, jit_per
    if jit_fixed <= interp_fixed:
        return "0 (the JIT costs no more to start)", interp_fixed, interp_per, jit_fixed, jit_per
    return ("%.0f" % ((jit_fixed - interp_fixed) / (interp_per - jit_per)), interp_fixed, interp_per, jit_fixed,
            jit_per)


def measure_pack(args, pack, sizes, files, scratch):
    warm_dir = tempfile.mkdtemp(dir=scratch)
    # One JIT run fills the plan cache and the object cache (at the level auto loads).
    run_once(args.edict, pack, "jit", files[0], warm_dir)
    results = {}
    for state in STATES:
        for records, facts in zip(sizes, files):
            for engine in ENGINES:
                wall, cpu = best_time(args.edict, pack, engine, facts, state, warm_dir, scratch, args.repeat)
                results["wall", state, records, engine] = wall
                results["cpu", state, records, engine] = cpu
                print("  %s %s %d records %s: %.1f ms wall, %.1f ms cpu" % (pack, state, records, engine,
                                                                           1000 * wall, 1000 * cpu), file=sys.stderr)
    return results


def report(pack, sizes, results):
    for measure in ("wall", "cpu"):
        print("\n%s: end-to-end %s ms, best of runs (compile + load + evaluate + write)" % (pack, measure))
        print("%10s  %9s %9s %9s  %9s %9s %9s" % ("records", "cold", "", "", "warm", "", ""))
        print("%10s  %9s %9s %9s  %9s %9s %9s" % ("", *ENGINES, *ENGINES))
        for records in sizes:
            row = [1000 * results[measure, state, records, engine] for state in STATES for engine in ENGINES]
            print("%10d  %9.1f %9.1f %9.1f  %9.1f %9.1f %9.1f" % (records, *row))
        for state in STATES:
            interp = [results[measure, state, r, "interp"] for r in sizes]
            jit = [results[measure, state, r, "jit"] for r in sizes]
            fitted, i0, i1, j0, j1 = fitted_crossing(sizes, interp, jit)
            print("%s %s crossover: %s records interpolated, %s fitted (interp %.1f ms + %.3f us/record, "
                  "jit %.1f ms + %.3f us/record)" % (measure, state, crossing(sizes, interp, jit), fitted, 1000 * i0,
                                                     1e6 * i1, 1000 * j0, 1e6 * j1))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edict", default="build/edict")
    parser.add_argument("--data", default="build/bench")
    parser.add_argument("--sizes", default="5000,10000,20000,50000,100000,200000,500000")
    parser.add_argument("--packs", default="stdlib-rules/cn-app-privacy,examples/quickstart")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    if len(sizes) < 2 or args.repeat < 1:
        sys.exit("crossover: give at least two sizes and --repeat of at least 1")
    files = [session_file(args.data, records, args.seed) for records in sizes]
    scratch = tempfile.mkdtemp(prefix="edict-crossover-")
    try:
        for pack in filter(None, args.packs.split(",")):
            report(pack, sizes, measure_pack(args, pack, sizes, files, scratch))
    finally:
        shutil.rmtree(scratch)


if __name__ == "__main__":
    main()
