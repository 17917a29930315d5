# The two commands of the README: `make demo` and `make test`. Both install what is missing first.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)

.PHONY: all setup build demo test test-asan fuzz-build fuzz fuzz-coverage clean

all: build

setup:
	@bash scripts/setup.sh

build: setup
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	@bash scripts/demo.sh $(BUILD_DIR)

test: build
	@ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

# The whole suite under ASan + UBSan; ASAN_TESTS (a ctest regex) narrows it to a subset, of which
# only the test binaries are built (docs/reliability.md).
ASAN_TESTS ?=
test-asan: setup
	@cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DEDICT_SANITIZE=ON > /dev/null
ifeq ($(ASAN_TESTS),)
	@cmake --build build-asan -j $(JOBS)
	@ctest --test-dir build-asan --output-on-failure -j $(JOBS)
else
	@cmake --build build-asan -j $(JOBS) --target edict $$(ctest --test-dir build-asan -N -R '$(value ASAN_TESTS)' | \
	  sed -n 's/^ *Test *#[0-9]*: //p' | grep -v '^fuzz_seeds$$' | sed 's/^fuzz_replay_\(.*\)/\1_replay/')
	@ctest --test-dir build-asan --output-on-failure -j $(JOBS) -R '$(value ASAN_TESTS)|fuzz_seeds'
endif

# libFuzzer (clang-14, docs/reliability.md): `make fuzz FUZZER=cel_eval FUZZ_SECONDS=600` runs one
# harness (parse_check, facts_loader, cel_eval, plan_decode, differential); `make fuzz-coverage`
# measures what each harness's corpus reaches.
FUZZ_DIR ?= build-fuzz
FUZZER ?= parse_check
FUZZ_SECONDS ?= 600

fuzz-build: setup
	@bash scripts/setup-fuzz.sh
	@cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++-14 -DEDICT_FUZZ=ON > /dev/null
	@cmake --build $(FUZZ_DIR) --target fuzzers -j $(JOBS)
	@python3 tests/fuzz/seed_corpus.py $(FUZZ_DIR)/fuzz/seeds

fuzz: fuzz-build
	@bash tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZER) $(FUZZ_SECONDS)

fuzz-coverage: fuzz-build
	@cmake -S . -B $(FUZZ_DIR)/coverage -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++-14 \
	  -DEDICT_FUZZ_COVERAGE=ON > /dev/null
	@cmake --build $(FUZZ_DIR)/coverage --target parse_check_replay facts_loader_replay cel_eval_replay \
	  plan_decode_replay differential_replay plan_seed -j $(JOBS)
	@bash tests/fuzz/coverage.sh $(FUZZ_DIR)/coverage $(FUZZ_DIR)/fuzz

clean:
	rm -rf $(BUILD_DIR) build-asan $(FUZZ_DIR)

# `make bench`: the benchmark of docs/performance.md (interpreter vs JIT, compile cold/warm, load vs
# simdjson) on a fixed-seed session of BENCH_RECORDS records, generated once into the build directory.
BENCH_RECORDS ?= 1000000
BENCH_SEED ?= 7
BENCH_FACTS ?= $(BUILD_DIR)/bench/session-$(BENCH_RECORDS)-seed$(BENCH_SEED).jsonl
.PHONY: bench
bench: setup
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
	@cmake --build $(BUILD_DIR) --target edict_bench -j $(JOBS)
	@test -f $(BENCH_FACTS) || python3 bench/gen_session.py --records $(BENCH_RECORDS) --seed $(BENCH_SEED) -o $(BENCH_FACTS)
	@$(BUILD_DIR)/bench/edict_bench $(BENCH_FACTS)

# `make crossover`: the session size from which the JIT pays, per pack, with an empty and a filled
# cache (bench/crossover.py: end-to-end `edict run` of both engines on fixed-seed sessions of several
# sizes, generated once into the build directory), which `--engine auto`'s thresholds come from.
.PHONY: crossover
crossover: setup
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
	@cmake --build $(BUILD_DIR) --target edict -j $(JOBS)
	@python3 bench/crossover.py --edict $(BUILD_DIR)/edict --data $(BUILD_DIR)/bench --seed $(BENCH_SEED)
