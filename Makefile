# Thin front end: the real build is CMake; these targets set up a fresh Debian 12 machine too.
BUILD ?= build
JOBS ?= 2

.PHONY: all deps build demo test test-asan test-faults fuzz bench format format-check install package clean

all: build

deps:
	scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

demo: build
	$(BUILD)/app/vigil --demo

# The formatting, the whole suite, then each fuzz target for FUZZ_SMOKE seconds (a smoke: `make fuzz`
# runs longer).
FUZZ_SMOKE ?= 10
test: build
	scripts/format --check
	scripts/run-tests $(BUILD)
	scripts/run-fuzz $(BUILD)-fuzz $(FUZZ_SMOKE)
	$(MAKE) package
	scripts/check-package $(BUILD)

# The whole suite built with AddressSanitizer and UndefinedBehaviorSanitizer, in $(BUILD)-asan.
test-asan: deps
	cmake -S . -B $(BUILD)-asan -DVIGIL_SANITIZE=ON
	cmake --build $(BUILD)-asan -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 scripts/run-tests $(BUILD)-asan

# The fault matrix: Vigil killed, servers killed, stopped, cut off and slowed at every step boundary
# of each path (the suite runs a smoke of it).
test-faults: build
	scripts/run-faults $(BUILD)

fuzz: deps
	scripts/run-fuzz $(BUILD)-fuzz $(or $(FUZZ_SECONDS),300)

bench: build
	scripts/run-benchmarks $(BUILD)

# clang-format over the tree (.clang-format); format-check changes nothing and fails when a file is not formatted.
format:
	scripts/format

format-check:
	scripts/format --check

install: build
	cmake --install $(BUILD)

# A Debian package of what `make install` installs ($(BUILD)/vigil_VERSION_ARCH.deb).
package: build
	rm -f $(BUILD)/vigil_*.deb
	cd $(BUILD) && cpack -G DEB

clean:
	rm -rf $(BUILD) $(BUILD)-fuzz $(BUILD)-asan
