#!/usr/bin/env bash
# tests/fuzz/run.sh: build the libFuzzer harnesses and run each one for a
# bounded time from its seed corpus; fails on any crash, leak, timeout or
# contract violation.
#
#   tests/fuzz/run.sh                      build, replay, fuzz every target
#   tests/fuzz/run.sh utf8 doc             only these targets
#   tests/fuzz/run.sh --replay-only        build and replay seeds + regressions
#   tests/fuzz/run.sh --replay BIN TARGET  replay one harness (the ctest form)
#
# Environment:
#   GA_FUZZ_BUILD_DIR  build directory (default: <source>/build-fuzz)
#   GA_FUZZ_SECONDS    fuzzing time per target (default 20)
#   GA_FUZZ_JOBS       targets fuzzed at once (default 2)
#
# Exit status: 0 clean, 1 a failure, 77 when clang or libFuzzer is missing.
#
# Each target fuzzes a scratch copy of corpus/<target>/ in the build
# directory (the seeds in the tree stay small and hand-made). A crashing
# input is left as <build>/fuzz-out/<target>/crash-* and the log says how
# to reproduce it; keep it as tests/fuzz/regressions/<target>/<name> so
# every later run replays it.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)

# Options understood by every harness run: a crash is exit 1 (libFuzzer's
# default, 77, would read as "skipped" to ctest), inputs over 10 s hang.
fuzz_opts=(-error_exitcode=1 -timeout_exitcode=1 -timeout=10 -rss_limit_mb=2048)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Replay the seed corpus and the regressions of one target, each input once.
replay() {
    local bin=$1 t=$2 files=()
    local d
    for d in "$here/corpus/$t" "$here/regressions/$t"; do
        [ -d "$d" ] || continue
        while IFS= read -r -d '' f; do files+=("$f"); done \
            < <(find "$d" -type f ! -name '.*' ! -name '*.md' -print0 | sort -z)
    done
    if [ ${#files[@]} -eq 0 ]; then
        echo "fuzz: $t: no seed or regression inputs" >&2
        return 0
    fi
    if ! "$bin" "${fuzz_opts[@]}" "${files[@]}" >"${TMPDIR:-/tmp}/ga-fuzz-replay-$t.$$.log" 2>&1; then
        cat "${TMPDIR:-/tmp}/ga-fuzz-replay-$t.$$.log" >&2
        rm -f "${TMPDIR:-/tmp}/ga-fuzz-replay-$t.$$.log"
        echo "FAIL fuzz replay $t (${#files[@]} inputs)" >&2
        return 1
    fi
    rm -f "${TMPDIR:-/tmp}/ga-fuzz-replay-$t.$$.log"
    echo "ok   fuzz replay $t (${#files[@]} inputs)" >&2
}

if [ "${1:-}" = "--replay" ]; then
    [ $# -eq 3 ] || { echo "usage: run.sh --replay BIN TARGET" >&2; exit 2; }
    replay "$2" "$3"
    exit $?
fi

replay_only=0
if [ "${1:-}" = "--replay-only" ]; then replay_only=1; shift; fi

cc=$(command -v clang || command -v clang-14 || true)
if [ -z "$cc" ]; then
    echo "fuzz: skipped: clang not found (install clang and libclang-rt-dev)" >&2
    exit 77
fi
probe=$(mktemp -d)
printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$probe/p.c"
if ! "$cc" -fsanitize=fuzzer,address "$probe/p.c" -o "$probe/p" >/dev/null 2>&1; then
    rm -rf "$probe"
    echo "fuzz: skipped: $cc cannot link -fsanitize=fuzzer (install libclang-rt-dev)" >&2
    exit 77
fi
rm -rf "$probe"

build=${GA_FUZZ_BUILD_DIR:-$src/build-fuzz}
seconds=${GA_FUZZ_SECONDS:-20}
jobs=${GA_FUZZ_JOBS:-2}

all=(utf8 tokens doc geonames resolve blocks)
if grep -qs '^ga_rc ga_events_extract(' "$src"/src/events/*.c; then all+=(events); fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

echo "== fuzz: configuring $build" >&2
if ! CC="$cc" cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DGA_FUZZ=ON \
        -DGA_SANITIZE=address,undefined >"$build.configure.log" 2>&1; then
    cat "$build.configure.log" >&2
    echo "FAIL fuzz: configure" >&2
    exit 1
fi
rm -f "$build.configure.log"
build_targets=()
for t in "${targets[@]}"; do build_targets+=(--target "fuzz_$t"); done
echo "== fuzz: building ${targets[*]}" >&2
if ! cmake --build "$build" -j"$(nproc)" "${build_targets[@]}" >"$build/fuzz-build.log" 2>&1; then
    tail -50 "$build/fuzz-build.log" >&2
    echo "FAIL fuzz: build (log: $build/fuzz-build.log)" >&2
    exit 1
fi

fail=0
for t in "${targets[@]}"; do
    replay "$build/tests/fuzz/fuzz_$t" "$t" || fail=1
done
[ $replay_only -eq 1 ] && exit $fail

# Fuzz one target for $seconds from a scratch copy of its seeds.
fuzz_one() {
    local t=$1
    local out=$build/fuzz-out/$t
    rm -rf "$out"
    mkdir -p "$out/corpus"
    [ -d "$here/corpus/$t" ] && cp -r "$here/corpus/$t/." "$out/corpus/"
    local start=$SECONDS
    if "$build/tests/fuzz/fuzz_$t" "${fuzz_opts[@]}" -max_total_time="$seconds" \
            -artifact_prefix="$out/" -print_final_stats=1 "$out/corpus" >"$out/log" 2>&1; then
        local execs
        execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/log" | grep -o '[0-9]*$')
        echo "ok   fuzz $t: ${execs:-?} runs in $((SECONDS - start)) s" >&2
        echo ok >"$out/result"
        return 0
    fi
    tail -60 "$out/log" >&2
    local a
    for a in "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-*; do
        [ -e "$a" ] || continue
        echo "fuzz $t: reproducer $a" >&2
        echo "  replay: $build/tests/fuzz/fuzz_$t $a" >&2
        echo "  keep:   cp $a $here/regressions/$t/" >&2
    done
    echo "FAIL fuzz $t (log: $out/log)" >&2
    echo fail >"$out/result"
    return 1
}

echo "== fuzz: ${#targets[@]} targets, ${seconds} s each, $jobs at a time" >&2
for t in "${targets[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
    fuzz_one "$t" &
done
wait
# Each run leaves its verdict in a file (wait -n already reaped some).
for t in "${targets[@]}"; do
    [ "$(cat "$build/fuzz-out/$t/result" 2>/dev/null)" = ok ] || fail=1
done
exit $fail
