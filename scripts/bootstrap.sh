#!/usr/bin/env bash
# Installs what landpolicy needs to build, test and demo on Debian/Ubuntu: PostgreSQL 15, its
# server headers, PostGIS 3, GEOS, GDAL's ogr2ogr and a C toolchain; with the argument `test` also
# what only the tests use: clang with its sanitizer and libFuzzer runtime (test/fuzz.sh), valgrind
# (test/valgrind.sh) and QGIS's Python bindings and QGIS Server (test/qgis.sh, test/qgis_server.sh).  A no-op when all are there.
set -euo pipefail

packages=(
  postgresql-15 postgresql-client-15 postgresql-server-dev-15
  postgresql-15-postgis-3 postgresql-15-postgis-3-scripts
  libgeos-dev gdal-bin make gcc gawk
)
if [ "${1:-}" = test ]; then
  packages+=(clang valgrind python3-qgis qgis-server)
fi

# clang's libFuzzer/sanitizer runtime: its own package on Debian 12 (libclang-rt-14-dev), part of
# libclang-common-NN-dev elsewhere.  Checked by building a fuzzer, installed after apt-get update.
fuzzer_builds() {
  command -v clang >/dev/null &&
    echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' |
      clang -x c -fsanitize=fuzzer,address,undefined - -o /dev/null >/dev/null 2>&1
}
fuzzer_runtime() {
  [ "${1:-}" = test ] || return 0
  fuzzer_builds && return 0
  for p in libclang-rt-14-dev libclang-rt-dev; do
    if apt-cache show "$p" >/dev/null 2>&1; then
      echo "bootstrap: installing $p"
      $sudo apt-get install -y -qq --no-install-recommends "$p" >/dev/null && return 0
    fi
  done
  echo "bootstrap: no libFuzzer runtime for clang found; test/fuzz.sh will fail" >&2
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
sudo=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo="sudo"
if [ ${#missing[@]} -eq 0 ]; then
  fuzzer_runtime "${1:-}"
  exit 0
fi

if ! command -v apt-get >/dev/null; then
  echo "bootstrap: this is not a Debian/Ubuntu machine; install by hand: ${missing[*]}" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "bootstrap: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi

echo "bootstrap: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# The Debian packages would start a system cluster on 5432; we run clusters of our own instead.
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fuzzer_runtime "${1:-}"
echo "bootstrap: done"
