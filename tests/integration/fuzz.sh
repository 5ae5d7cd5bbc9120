#!/usr/bin/env bash
# fuzz.sh: the libFuzzer harnesses of tests/fuzz/ as part of the test
# suite (DESIGN.md: the text pipeline and every parser run under
# libFuzzer in CI). tests/fuzz/run.sh builds them with clang in
# $GA_BUILD_DIR/fuzz (address and undefined sanitizers), replays the seed
# corpora and the saved crash reproducers, and fuzzes each target for
# GA_FUZZ_SECONDS (default 20) seconds, two at a time.
#
# scripts/test.sh runs the suite twice; the fuzzing itself runs once, in
# the build without sanitizers (the harnesses carry their own), and the
# sanitizer build only replays the reproducers. GA_FUZZ_SECONDS=0 replays
# only. Exits 77 when clang or libFuzzer is missing.
set -uo pipefail
: "${GA_SOURCE_DIR:?set GA_SOURCE_DIR to the source directory}"
: "${GA_BUILD_DIR:?set GA_BUILD_DIR to the build directory}"

export GA_FUZZ_BUILD_DIR=${GA_FUZZ_BUILD_DIR:-$GA_BUILD_DIR/fuzz}
if grep -Eq '^GA_SANITIZE:STRING=.+' "$GA_BUILD_DIR/CMakeCache.txt" 2>/dev/null ||
   [ "${GA_FUZZ_SECONDS:-20}" = 0 ]; then
    exec bash "$GA_SOURCE_DIR/tests/fuzz/run.sh" --replay-only
fi
exec bash "$GA_SOURCE_DIR/tests/fuzz/run.sh"
