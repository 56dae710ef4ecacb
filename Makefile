# The front door. `make run` and `make test` are all a new user needs.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= 2
CONFIG ?= config/agenthost.json

FUZZ_SECONDS ?= 10
FUZZ_SEED ?=

.PHONY: all deps build run test test-plain bench clean fuzz test-asan test-tsan install package

all: build

deps:
	@tools/install-deps

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j$(JOBS)

run: build
	$(BUILD_DIR)/bin/agenthost --config $(CONFIG)

# The test command (README, CI): every suite under AddressSanitizer + UBSan
# and the fuzz corpora (test-asan below). test-plain runs the same suites
# on the optimised tree that make run uses, without sanitizers.
test: test-asan

test-plain: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j$(JOBS)

# A system install (PREFIX=/usr/local by default; DESTDIR works as usual).
PREFIX ?= /usr/local
install: build
	cmake --install $(BUILD_DIR) --prefix $(PREFIX)

# The .deb packages agenthost and agenthost-sdk-dev, in $(BUILD_DIR).
package: build
	cd $(BUILD_DIR) && cpack -G DEB

bench: build
	@tools/install-deps bench
	tools/bench/run-bench $(BUILD_DIR)

# libFuzzer harnesses, built with clang + ASan/UBSan in build-fuzz; each
# runs FUZZ_SECONDS from the seed corpora in tests/fuzz/corpus/.
fuzz:
	@tools/install-deps fuzz
	CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAGENTHOST_FUZZ=ON
	cmake --build build-fuzz --target fuzz_targets -j$(JOBS)
	FUZZ_SEED=$(FUZZ_SEED) tools/run-fuzz build-fuzz $(FUZZ_SECONDS)

# Sanitizer trees are unity builds (several sources per compiler run, each
# header parsed once) with line tables only, so a cold one costs less than
# the plain tree; CI builds both from cold. ASan + UBSan is clang at -O0:
# measured on agenthost_core, gcc -O1 with UBSan took 3.5 times as long to
# compile as clang -O0, and the suites wait on I/O more than they compute.
# The sanitizer suites mostly wait on sockets and child processes, but each
# starts instrumented hosts: at four suites at once the load average on two
# cores reached 11 to 14 and tests' timing assumptions failed; three keep
# both cores busy with less of that.
TEST_JOBS ?= 3
# A suite that fails is run once more: on a loaded 2-core machine an
# instrumented build can outlast a test's timing assumption. A real defect
# fails both times; the first failure stays in the log, and a sanitizer
# report from either attempt still fails the run (check-sanitizer-reports).
SANITIZER_RETRY = --repeat until-pass:2
UNITY_CMAKE_FLAGS = -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16
ASAN_CMAKE_FLAGS = $(UNITY_CMAKE_FLAGS) -DAGENTHOST_SANITIZE=address \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O0 -gline-tables-only -DNDEBUG" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O0 -gline-tables-only -DNDEBUG"
TSAN_CMAKE_FLAGS = $(UNITY_CMAKE_FLAGS) -DAGENTHOST_SANITIZE=thread \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG"

# handle_segv=0: the tests crash plugins on purpose (the faulty fixture) and
# check the signal the host or runner reports, which ASan's own handler
# would turn into SIGABRT; memory errors are caught by the instrumentation
# before any signal. quarantine_size_mb=16 (default 256): freed memory
# is held back that long to catch use after free; at the default every
# ASan host grew to ~350 MB, and the integration suites keep some sixty
# hosts alive at once (one per test file, function-local statics), which
# the 24 GiB machine's OOM killer ended.
# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer, then
# the fuzz corpora replayed by the harnesses built in the same tree. Every
# process writes its reports (log_path) into build-asan/sanitizer-reports,
# hosts and plugin runners the tests start included; any report fails.
test-asan: deps
	@tools/install-deps fuzz
	CC=clang CXX=clang++ cmake -S . -B build-asan $(ASAN_CMAKE_FLAGS)
	UBSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizers/ubsan.supp cmake --build build-asan -j$(JOBS)
	rm -rf build-asan/sanitizer-reports && mkdir -p build-asan/sanitizer-reports
	status=0; \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:handle_segv=0:quarantine_size_mb=16:log_path=$(CURDIR)/build-asan/sanitizer-reports/asan \
	  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:suppressions=$(CURDIR)/tests/sanitizers/ubsan.supp:log_path=$(CURDIR)/build-asan/sanitizer-reports/ubsan \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizers/lsan.supp:print_suppressions=0 \
	  ctest --test-dir build-asan --output-on-failure -j$(TEST_JOBS) $(SANITIZER_RETRY) $(CTEST_ARGS) || status=1; \
	tools/check-sanitizer-reports build-asan/sanitizer-reports || status=1; \
	tools/run-fuzz build-asan 0 || status=1; exit $$status

# The run engine, streaming and store suites under ThreadSanitizer: unit,
# store (both databases), durability and host_engine_tests (runs,
# interrupts, SSE, WebSocket, webhooks), which need no agent plugin.
TSAN_SUITES = host_unit_tests host_store_sqlite_tests host_store_postgres_tests host_durability_tests host_engine_tests
test-tsan: deps
	cmake -S . -B build-tsan $(TSAN_CMAKE_FLAGS)
	cmake --build build-tsan -j$(JOBS) --target agenthost $(TSAN_SUITES)
	rm -rf build-tsan/sanitizer-reports && mkdir -p build-tsan/sanitizer-reports
	status=0; \
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$(CURDIR)/tests/sanitizers/tsan.supp:log_path=$(CURDIR)/build-tsan/sanitizer-reports/tsan \
	  ctest --test-dir build-tsan --output-on-failure -j$(JOBS) $(SANITIZER_RETRY) $(CTEST_ARGS) \
	  -R '^($(subst $(eval) ,|,$(TSAN_SUITES)))$$' || status=1; \
	tools/check-sanitizer-reports build-tsan/sanitizer-reports || status=1; exit $$status

clean:
	rm -rf $(BUILD_DIR) build-asan build-tsan build-fuzz
