#!/usr/bin/env bash
# scripts/test.sh: sets everything up (with the test packages: QGIS,
# PostgreSQL/PostGIS, clang) and runs the whole test suite twice: a normal
# build and an AddressSanitizer + UndefinedBehaviorSanitizer build, both
# with warnings as errors.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
scripts/setup.sh --test --cmake-args "-DGA_WERROR=ON"
echo "== tests (normal build)" >&2
ctest --test-dir build --output-on-failure -j2
echo "== tests (address,undefined sanitizers)" >&2
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DGA_WERROR=ON -DGA_SANITIZE=address,undefined >/dev/null
cmake --build build-asan -j"$(nproc)" >&2
# The sanitizer build shares the default gazetteer built above.
rm -rf build-asan/gazetteer && ln -s ../build/gazetteer build-asan/gazetteer
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j2
