#!/usr/bin/env bash
# fuzz/run.sh [RUNS] — build the libFuzzer harness (fuzz/fuzz_types.c) with ASan and UBSan and run
# it for RUNS inputs (default 100000; `make fuzz` uses FUZZ_RUNS). Seeds: valid codes of both types.
# Exits non-zero on a crash, a sanitizer report or a failed round trip.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-${FUZZ_RUNS:-100000}}
PG_CONFIG=${PG_CONFIG:-pg_config}
command -v "$PG_CONFIG" >/dev/null || PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
CLANG=${CLANG:-clang}
command -v "$CLANG" >/dev/null || { echo "fuzz/run.sh: clang is needed (apt-get install clang)" >&2; exit 1; }
make -s src/landclass_data.h >/dev/null
out=${FUZZ_DIR:-/tmp/landpolicy-fuzz}
mkdir -p "$out/corpus"
"$CLANG" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -Wall -Werror -Wno-ignored-attributes -Wno-unused-parameter \
  -I"$($PG_CONFIG --includedir-server)" -Isrc \
  fuzz/fuzz_types.c src/landclass.c src/admincode.c \
  -o "$out/fuzz_types"
# seeds: selector byte 0..3, then a code
i=0
for s in '\x000101' '\x001104K' '\x0005H1' '\x0001' '\x01 0201 ' '\x02350121101' '\x0335' '\x02350121101001' '\x00xx'; do
  printf "$s" >"$out/corpus/seed$i"; i=$((i + 1))
done
"$out/fuzz_types" -runs="$RUNS" -max_len=64 -artifact_prefix="$out/" -print_final_stats=1 "$out/corpus" 2>"$out/log" || { tail -40 "$out/log" >&2; exit 1; }
grep -E "stat::number_of_executed_units|Done" "$out/log" | tail -2
