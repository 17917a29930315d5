#!/usr/bin/env python3
"""Checks appfacts/1 JSON Lines files against the field list tests/schema/appfacts-1.fields.

    check_facts.py FIELDS FACTS...                      exit 1 and list every problem
    check_facts.py FIELDS FACTS... --expect EXPECTED    exit 1 unless exactly EXPECTED's problems

Stricter than the engine in one respect: a field or record kind the schema does not declare is a
problem here (the engine ignores or counts it), because in a committed example it is a typo.
Problems print as `file:line: path: message`.
"""

import argparse
import json
import os
import re
import sys

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


class Node:
    """A field's type: `kind` is a scalar name, "enum", "struct" or "list"."""

    def __init__(self, kind, optional=False, values=None, elem=None):
        self.kind = kind
        self.optional = optional
        self.values = values or []
        self.elem = elem
        self.fields = {}


def parse_type(text):
    optional = text.endswith("?")
    text = text.rstrip("?")
    if text.startswith("list<"):
        return Node("list", optional, elem=parse_type(text[5:-1]))
    if text.startswith("enum("):
        return Node("enum", optional, values=text[5:-1].split("|"))
    return Node(text, optional)


def load_fields(path):
    kinds = {}
    with open(path, encoding="utf-8") as source:
        for line in source:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            path_text, type_text = line.split(" ", 1)
            has_default = " = " in type_text
            node = parse_type(type_text.split(" = ")[0])
            node.optional = node.optional or has_default  # absent on the wire: the default
            kind, *steps = path_text.split(".")
            parent = kinds.setdefault(kind, Node("struct"))
            for step in steps[:-1]:
                parent = parent.fields[step.rstrip("[]")]
                if step.endswith("[]"):
                    parent = parent.elem
            parent.fields[steps[-1]] = node
    return kinds


def check_value(value, node, path, problems):
    kind = node.kind
    if kind in ("string", "dt", "perm"):
        ok = isinstance(value, str)
    elif kind == "timestamp":
        ok = isinstance(value, str) and RFC3339.match(value) is not None
    elif kind in ("int", "duration"):  # `t` is integer milliseconds on the wire
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind == "double":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif kind == "bool":
        ok = isinstance(value, bool)
    elif kind == "enum":
        ok = isinstance(value, str) and value in node.values
        if isinstance(value, str) and not ok:
            problems.append(f"{path}: {value!r} is not one of {'|'.join(node.values)}")
            return
    elif kind == "list":
        if not isinstance(value, list):
            problems.append(f"{path}: expected a list")
            return
        for item in value:
            check_value(item, node.elem, path + "[]", problems)
        return
    elif kind == "struct":
        check_object(value, node, path, problems)
        return
    else:
        raise ValueError(f"unknown type {kind!r} in the field list")
    if not ok:
        problems.append(f"{path}: expected {kind}, found {json.dumps(value, ensure_ascii=False)}")


def check_object(value, node, path, problems):
    if not isinstance(value, dict):
        problems.append(f"{path}: expected an object")
        return
    for name, field in node.fields.items():
        if value.get(name) is None:
            if not field.optional:
                problems.append(f"{path}.{name}: required field is missing")
            continue
        check_value(value[name], field, f"{path}.{name}", problems)
    for name in value:
        if name not in node.fields and not (name == "type" and path.count(".") == 0):
            problems.append(f"{path}.{name}: not a field of the schema")


def check_file(path, kinds):
    problems = []
    session_open, last_seq = False, None
    with open(path, encoding="utf-8") as source:
        for number, line in enumerate(source, 1):
            found = []
            try:
                record = json.loads(line.rstrip("\n"))
            except json.JSONDecodeError as error:
                problems.append(f"{path}:{number}: not valid JSON (column {error.colno})")
                continue
            kind = record.get("type") if isinstance(record, dict) else None
            if kind not in kinds:
                found.append(f"type: unknown record kind {kind!r}")
            else:
                if kind == "header":
                    session_open, last_seq = True, None
                elif not session_open:
                    found.append("type: the first record of a stream must be the header")
                check_object(record, kinds[kind], kind, found)
                seq = record.get("seq")
                if kind != "header" and isinstance(seq, int):
                    if last_seq is not None and seq <= last_seq:
                        found.append(f"{kind}.seq: {seq} does not increase (previous {last_seq})")
                    last_seq = seq
            problems += [f"{path}:{number}: {problem}" for problem in found]
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fields")
    parser.add_argument("facts", nargs="+")
    parser.add_argument("--expect", metavar="EXPECTED", help="file listing the expected problems")
    args = parser.parse_args()
    kinds = load_fields(args.fields)
    problems = []
    for facts in args.facts:
        problems += check_file(facts, kinds)
    # Paths relative to the current directory keep the output (and EXPECTED) machine-independent.
    problems = [os.path.relpath(p.split(":", 1)[0]) + ":" + p.split(":", 1)[1] for p in problems]
    if args.expect is None:
        for problem in problems:
            print(problem)
        print(f"{len(args.facts)} file(s), {len(problems)} problem(s)")
        return 1 if problems else 0
    with open(args.expect, encoding="utf-8") as expected_file:
        expected = [line.rstrip("\n") for line in expected_file if line.strip() and not line.startswith("#")]
    missing = [p for p in expected if p not in problems]
    unexpected = [p for p in problems if p not in expected]
    for p in missing:
        print(f"missing:    {p}")
    for p in unexpected:
        print(f"unexpected: {p}")
    return 1 if missing or unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
