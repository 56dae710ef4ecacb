# The front door. `make run` and `make test` are all a new user needs.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= 2
CONFIG ?= config/agenthost.json

.PHONY: all deps build run test bench clean

all: build

deps:
	@tools/install-deps

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j$(JOBS)

run: build
	$(BUILD_DIR)/bin/agenthost --config $(CONFIG)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j$(JOBS)

bench: build
	@tools/install-deps bench
	tools/bench/run-bench $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
