# haru: `make run` and `make test` are the two entry points (see README.md).
# Both install what is missing, build with CMake + Ninja, then run.

BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
DATA_DIR ?= $(CURDIR)/data
HARU_TOOLS ?= $(HOME)/.cache/haru-tools

export HARU_TOOLS

.PHONY: all deps build run test unit e2e fuzz bench clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null

build: deps $(BUILD_DIR)/build.ninja
	@cmake --build $(BUILD_DIR)

run: build
	@$(BUILD_DIR)/src/haru server --data-dir $(DATA_DIR)

test: build
	@scripts/install-test-tools.sh
	@cd $(BUILD_DIR) && ctest --output-on-failure --timeout 900 -j2

unit: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -L unit -j2

e2e: build
	@scripts/install-test-tools.sh
	@cd $(BUILD_DIR) && ctest --output-on-failure -L e2e

# Benchmarks (not part of `make test`): `make bench` runs every figure, `make bench FIGURE=get`
# one (create|get|list|watch|memory); see bench/README.md.
FIGURE ?= all
bench: build
	@scripts/install-bench-tools.sh
	@bench/run.sh $(FIGURE)

fuzz: deps
	@scripts/fuzz.sh

clean:
	rm -rf $(BUILD_DIR)
