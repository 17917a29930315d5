#!/usr/bin/env python3
"""Builds the fuzzers' seed corpora and dictionaries from the repository's own inputs.

    tests/fuzz/seed_corpus.py OUT_DIR

writes OUT_DIR/<harness>/ afresh (one file per distinct input, named by its SHA-1 as libFuzzer
names its own) and OUT_DIR/<harness>.dict for parse_check (every .edict file), facts_loader (every
facts .jsonl file, whole and as single sessions) and cel_eval (every expression of the CEL
conformance suite and of the syntax tests' invalid expressions). The dictionaries hold the
grammar's keywords and operators, the CEL function names, and the appfacts field names and enum
values. The differential harness's bytes are the program generator's choices, so its seeds are
fixed pseudo-random byte strings of 256 to 4096 bytes, each a whole program: started from nothing,
libFuzzer at a few executions a second kept its inputs under 5 bytes, whose programs make the
simplest choice almost everywhere (docs/reliability.md).
"""
import hashlib
import json
import random
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RULE_DIRS = ["stdlib-rules", "examples", "tests"]
NOT_FACTS = {"tests/conformance/cel/cel-conformance.jsonl", "tests/syntax/invalid-cel.jsonl"}


def files(suffix):
    for top in RULE_DIRS:
        # is_file(): the diagnostics tests hold a dangling symlink on purpose.
        yield from sorted(p for p in (ROOT / top).rglob("*" + suffix) if p.is_file())


def write_corpus(out, name, inputs):
    directory = out / name
    shutil.rmtree(directory, ignore_errors=True)  # seeds of files since changed or removed go too
    directory.mkdir(parents=True)
    written = set()
    for data in inputs:
        digest = hashlib.sha1(data).hexdigest()
        if digest not in written:
            (directory / digest).write_bytes(data)
            written.add(digest)
    return len(written)


def write_dict(out, name, words):
    # libFuzzer dictionary: one quoted token a line, \\ and \" escaped, other bytes as \xNN.
    def quote(word):
        text = ""
        for byte in word.encode():
            if byte in (0x22, 0x5C):
                text += "\\" + chr(byte)
            elif 0x20 <= byte < 0x7F:
                text += chr(byte)
            else:
                text += "\\x%02X" % byte
        return '"' + text + '"'

    lines = [quote(w) for w in sorted(set(words)) if w]
    (out / (name + ".dict")).write_text("\n".join(lines) + "\n")
    return len(lines)


def edict_inputs():
    for path in files(".edict"):
        yield path.read_bytes()


def facts_inputs():
    for path in files(".jsonl"):
        if path.relative_to(ROOT).as_posix() in NOT_FACTS:
            continue
        data = path.read_bytes()
        yield data
        # Each session on its own too: smaller seeds mutate faster.
        sessions = re.split(rb'\n(?=\{"type": ?"header")', data)
        if len(sessions) > 1:
            for session in sessions:
                yield session.rstrip(b"\n") + b"\n"


def cel_inputs():
    for name in ["tests/conformance/cel/cel-conformance.jsonl", "tests/syntax/invalid-cel.jsonl"]:
        for line in (ROOT / name).read_text().splitlines():
            if line.strip():
                case = json.loads(line)
                yield case["expr"].encode() if "expr" in case else bytes.fromhex(case["expr_hex"])


def differential_inputs():
    chooser = random.Random(20261202)  # fixed: the same seeds on every machine
    for size in [256, 512, 1024, 2048, 4096] * 4:
        yield bytes(chooser.getrandbits(8) for _ in range(size))


def edict_words():
    grammar = (ROOT / "grammar/Edict.g4").read_text()
    words = [w for w in re.findall(r"'([^'\s\\]{2,})'", grammar)]
    entry_keys = ["title", "severity", "kind", "cite", "needs", "uses", "subject", "data_types", "permissions",
                  "report", "reason", "tags", "schema", "taxonomies", "high", "medium", "low", "critical", "fail",
                  "review", "violated", "passed", "not_applicable", "undetermined", "error", "findings", "outcome"]
    kinds = {line.split(".")[0] for line in fields_lines()}
    return words + entry_keys + sorted(kinds) + ["appfacts", "import appfacts >= 1.0.0", "48h", "1s", "5m"]


def cel_words():
    overloads = (ROOT / "runtime/value/overloads.def").read_text()
    names = re.findall(r'^EDICT_OVERLOAD\(\s*\w+,\s*"([^"]+)"', overloads, re.M)
    functions = [n for n in names if re.fullmatch(r"[A-Za-z_][\w.]*", n)]
    return functions + ["has(", ".all(", ".exists(", ".exists_one(", ".map(", ".filter(", "&&", "||", "==", "!=",
                        "<=", ">=", " in ", "? ", " : ", "null", "true", "false", "b'", "r'", '"""', "'''",
                        "\\u", "\\x", "1u", "1.0e10", "-9223372036854775808", "18446744073709551615u",
                        "google.protobuf.Timestamp", "google.protobuf.Duration", "dyn(", "type("]


def fields_lines():
    for line in (ROOT / "tests/schema/appfacts-1.fields").read_text().splitlines():
        if line and not line.startswith("#"):
            yield line


def facts_words():
    words = ['"type":', '"seq":', '"t":', '{"type":"header","schema":"appfacts/1"']
    for line in fields_lines():
        path, kind = line.split(" ", 1)
        for segment in path.replace("[]", "").split("."):
            words.append('"%s":' % segment)
        match = re.match(r"enum\(([^)]*)\)", kind)
        if match:
            words += ['"%s"' % value for value in match.group(1).split("|")]
    return words + ["null", "true", "false", "1e309", "-0", "2024-05-01T08:00:00Z", "2024-05-01T08:00:00.123+08:00",
                    "9223372036854775807", "\\u0000", "\\ud800"]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name, inputs, words in [("parse_check", edict_inputs(), edict_words()),
                                ("facts_loader", facts_inputs(), facts_words()),
                                ("cel_eval", cel_inputs(), cel_words())]:
        count = write_corpus(out, name, inputs)
        tokens = write_dict(out, name, words)
        print(f"{name}: {count} seeds, {tokens} dictionary entries in {out}")
    print(f"differential: {write_corpus(out, 'differential', differential_inputs())} seeds in {out}")


if __name__ == "__main__":
    main()
