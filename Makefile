# Thin front end: the real build is CMake; these targets set up a fresh Debian 12 machine too.
BUILD ?= build
JOBS ?= 2

.PHONY: all deps build demo test fuzz bench install clean

all: build

deps:
	scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

demo: build
	$(BUILD)/app/vigil --demo

# The whole suite, then each fuzz target for FUZZ_SMOKE seconds (a smoke: `make fuzz` runs longer).
FUZZ_SMOKE ?= 10
test: build
	scripts/run-tests $(BUILD)
	scripts/run-fuzz $(BUILD)-fuzz $(FUZZ_SMOKE)

fuzz: deps
	scripts/run-fuzz $(BUILD)-fuzz $(or $(FUZZ_SECONDS),300)

bench: build
	scripts/run-benchmarks $(BUILD)

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(BUILD)-fuzz
