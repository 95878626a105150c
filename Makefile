# Thin front end: the real build is CMake; these targets set up a fresh Debian 12 machine too.
BUILD ?= build
JOBS ?= 2

.PHONY: all deps build demo test bench install clean

all: build

deps:
	scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

demo: build
	$(BUILD)/app/vigil --demo

test: build
	scripts/run-tests $(BUILD)

bench: build
	scripts/run-benchmarks $(BUILD)

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD)
