# The libFuzzer build (-DEDICT_FUZZ=ON, clang only): every library gets coverage instrumentation
# plus ASan and UBSan (-fsanitize=fuzzer-no-link,...); only the tests/fuzz/*_fuzzer targets link
# libFuzzer itself (-fsanitize=fuzzer). Optimised at -O1 with assertions on, as libFuzzer advises.
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "EDICT_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++-14")
endif()
if(EDICT_SANITIZE)
  message(FATAL_ERROR "EDICT_FUZZ already builds with ASan and UBSan; leave EDICT_SANITIZE off")
endif()

add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                    -fno-omit-frame-pointer -O1 -g)
add_link_options(-fsanitize=address,undefined)

# clang-14 rejects one header of Debian's ANTLR 4.9 runtime; this directory's antlr4-runtime.h
# leaves it out and must be found before the runtime's own (which is a SYSTEM include, searched
# after every plain one).
include_directories(BEFORE ${CMAKE_SOURCE_DIR}/third_party_shims)
