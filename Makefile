# Tessera: the two commands of the README's quick start are `make run` and
# `make test`. Everything else here serves them.
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: deps test-deps build run test test-asan bench clean

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# First run: creates ./data/tessera.db with an admin user and an API token,
# prints how to sign in, then serves on 127.0.0.1:8080 until Ctrl-C.
run: build
	@scripts/run.sh $(BUILD)/src/app/tessera

# Every test: unit, store, HTTP against a loopback server, and the real
# heroku-client npm package.
test: test-deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)
	scripts/test.sh $(BUILD)

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: test-deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTESSERA_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	scripts/test.sh $(ASAN_BUILD)

bench: build
	bench/run.sh $(BUILD)/src/app/tessera

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
