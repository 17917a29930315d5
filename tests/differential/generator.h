// A generator of random well-typed Edict programs and random facts for them, to compare the two
// back ends on programs nobody wrote by hand. Deterministic: the same Entropy gives the same text,
// whatever the compiler (generator.cpp's Join).
//
// A program is one pack declaring its own schema (a header and three record kinds: `ev` and `act`
// with times, `note` without; optional fields, defaults, lists, lists of data types, a nested
// struct, an optional list of structs, an enum), shared consts, sets, a keyed table, params, lets
// and fns (some of one record, string or scalar parameter with a body that aggregates, which the
// plan makes memo functions; per record kind one returning a map that rules look values up in),
// and `rules` rules mixing joins with time windows, bindings of list elements (structs among them)
// and map keys, sequences with `without`, group by / window / having, rules without bindings over
// aggregates (some over a time window whose bounds take steps), twins of match rules,
// comprehensions, table lookups, overflowing arithmetic, string and time functions, absent
// optional fields read with and without has(), conversions that fail, values through dyn (the
// overload chosen by the operands' kinds at run time), and structs and whole records read as
// maps. The facts are JSON Lines with `sessions` sessions of random records of those kinds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "tests/differential/entropy.h"

namespace edict::differential {

struct GeneratorOptions {
  size_t rules = 25;
  size_t sessions = 3;
  size_t max_records = 24;  // per session
  size_t min_functions = 0;     // fns declared: at least this many, at most 3
  unsigned memo_percent = 35;   // the chance that a fn has the shape the plan memoises
  unsigned call_percent = 0;    // the chance that an expression is first tried as a fn call
  unsigned fold_percent = 25;   // the chance that a string list's comprehension is `x in <constant>`
  unsigned twin_percent = 10;   // the chance that a match rule is followed by its twin (one more binding first)
  unsigned dynamic_percent = 10;  // the chance that a shared production goes through dyn or reads a struct as a map
  unsigned frames_percent = 8;   // the chance that a shared production is over act's list of structs
  unsigned window_percent = 25;  // the chance that an aggregate over ev or act has a time window
};

// The differential fuzzer's: small programs (an input is one LLVM compilation, so fewer rules mean
// more inputs a second), with more fns, most of them of the memoised shape, so that three rules
// still call memo functions about as often as the seeded tests' 25 do, and with string
// comprehensions twice as often `x in <constant>` (of the first 100 programs, 4 then fold one over
// a list column, against 1 at the default; at 100 % no more do, and fewer call memo functions).
GeneratorOptions FuzzerOptions();

struct GeneratedProgram {
  std::string source;  // one .edict file: the pack
  std::string facts;   // JSON Lines
  size_t rules = 0;
};

GeneratedProgram GenerateProgram(Entropy& entropy, const GeneratorOptions& options);

// The number in the environment variable `name` (EDICT_DIFFERENTIAL_SEED, _PACKS, _RECORDS: a
// test's seeds and counts, to reproduce a failure or search further), else `fallback`.
uint64_t FromEnvironment(const char* name, uint64_t fallback);

}  // namespace edict::differential
