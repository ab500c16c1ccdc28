#!/usr/bin/env bash
# Hostile input: the libFuzzer harness (fuzz/fuzz_types.c) over landclass and admincode text and
# binary input, built with ASan and UBSan, for LANDPOLICY_FUZZ_RUNS inputs (default 300000; a long
# run is `make fuzz FUZZ_RUNS=…`, its count in docs/security.md).  Any crash, sanitizer report or
# failed round trip is a failure.  Prints "N passed, M failed".
set -u
cd "$(dirname "$0")/.."
runs=${LANDPOLICY_FUZZ_RUNS:-300000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
if out=$(FUZZ_DIR=$dir fuzz/run.sh "$runs" 2>&1); then
  echo "$out" | sed 's/^/  /'
  echo "PASS fuzz: $runs inputs to landclass_in/recv and admincode_in/recv, no crash or sanitizer report"
  echo "1 passed, 0 failed"
else
  echo "$out" | tail -40 | sed 's/^/  /'
  echo "FAIL fuzz"
  echo "0 passed, 1 failed"
  exit 1
fi
