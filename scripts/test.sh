#!/usr/bin/env bash
# Installs what bibkg needs, builds it from scratch and runs the test suite.
# Usage: scripts/test.sh            (build directory: build/)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# citation-js, the independent parser the reading-list tests check against.
(cd tests/js && npm ci --no-audit --no-fund --loglevel=error)
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$BUILD_DIR" -j2
cd "$BUILD_DIR"
ctest -j2 --output-on-failure --timeout 600
