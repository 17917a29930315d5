# The clang builds of tests/fuzz (docs/reliability.md), one of:
#  -DEDICT_FUZZ=ON: every library gets coverage instrumentation plus ASan and UBSan
#   (-fsanitize=fuzzer-no-link,...); only the tests/fuzz/*_fuzzer targets link libFuzzer itself
#   (-fsanitize=fuzzer). Optimised at -O1 with assertions on, as libFuzzer advises.
#  -DEDICT_FUZZ_COVERAGE=ON: source-based coverage instrumentation and nothing else, to measure
#   how much of each phase the fuzz corpora reach (tests/fuzz/coverage.sh).
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "EDICT_FUZZ and EDICT_FUZZ_COVERAGE need clang: configure with -DCMAKE_CXX_COMPILER=clang++-14")
endif()
if(EDICT_SANITIZE OR (EDICT_FUZZ AND EDICT_FUZZ_COVERAGE))
  message(FATAL_ERROR "EDICT_FUZZ, EDICT_FUZZ_COVERAGE and EDICT_SANITIZE are separate builds: choose one")
endif()

if(EDICT_FUZZ_COVERAGE)
  add_compile_options(-fprofile-instr-generate -fcoverage-mapping)
  add_link_options(-fprofile-instr-generate)
else()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer -O1 -g)
  add_link_options(-fsanitize=address,undefined)
endif()
