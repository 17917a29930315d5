#!/usr/bin/env python3
"""Sums an `llvm-cov export -summary-only` report per source folder of the repository.

    tests/fuzz/coverage_summary.py REPO_ROOT REPORT.json

Prints lines and branches covered per folder (compiler/syntax, runtime/facts, ...); files outside
the repository's compiler/ and runtime/ folders (system headers, generated parser, tests) are left
out.
"""
import json
import os
import sys
from collections import defaultdict


def main():
    root, report = sys.argv[1].rstrip("/") + "/", sys.argv[2]
    totals = defaultdict(lambda: {"lines": [0, 0], "branches": [0, 0]})
    for data in json.load(open(report))["data"]:
        for entry in data["files"]:
            # Normalised: a build whose compiler ran from elsewhere (ccache's CCACHE_BASEDIR)
            # records paths like BUILD/../../repo/compiler/x.cpp.
            name = os.path.normpath(entry["filename"])
            if not name.startswith(root):
                continue
            parts = name[len(root):].split("/")
            if parts[0] not in ("compiler", "runtime") or len(parts) < 3:
                continue
            folder = "/".join(parts[:2])
            for kind in ("lines", "branches"):
                totals[folder][kind][0] += entry["summary"][kind]["covered"]
                totals[folder][kind][1] += entry["summary"][kind]["count"]
    print(f"{'folder':20} {'lines':>17} {'branches':>17}")
    for folder, counts in sorted(totals.items()):
        cells = []
        for kind in ("lines", "branches"):
            covered, count = counts[kind]
            percent = 100.0 * covered / count if count else 0.0
            cells.append(f"{covered:6}/{count:<6} {percent:3.0f}%")
        print(f"{folder:20} {cells[0]:>17} {cells[1]:>17}")


if __name__ == "__main__":
    main()
