#!/usr/bin/env bash
# Installs what landpolicy needs to build, test and demo on Debian/Ubuntu: PostgreSQL 15, its
# server headers, PostGIS 3, GEOS, GDAL's ogr2ogr, a C toolchain, and clang with its sanitizer and
# libFuzzer runtime (test/fuzz.sh).  A no-op when all are there.
set -euo pipefail

packages=(
  postgresql-15 postgresql-client-15 postgresql-server-dev-15
  postgresql-15-postgis-3 postgresql-15-postgis-3-scripts
  libgeos-dev gdal-bin make gcc gawk clang
)
# clang's libFuzzer/sanitizer runtime: its own package on Debian 12 (libclang-rt-14-dev), part of
# libclang-common-NN-dev elsewhere; named only when apt knows it.
if command -v apt-cache >/dev/null; then
  for p in libclang-rt-14-dev libclang-rt-dev; do
    if apt-cache show "$p" >/dev/null 2>&1; then packages+=("$p"); break; fi
  done
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

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
echo "bootstrap: done"
