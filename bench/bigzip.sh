#!/bin/sh
# Peak memory of `yanshou check` on a 2 GB submission zip and on zip bombs, via
# /usr/bin/time -v. Run from the crate root; builds the zips under $OUT (default
# /tmp/yanshou-bench; about 300 MB of real disk, the 2 GB entry is a hole).
set -e
OUT=${OUT:-/tmp/yanshou-bench}
BIN=${BIN:-target/release/yanshou}
[ -x "$BIN" ] || cargo build --release
[ -f "$OUT/big.zip" ] || python3 bench/make_bigzip.py "$OUT"
run() {
    label=$1; shift
    /usr/bin/time -v "$BIN" check "$@" --category XXJL-2025 --format json > "$OUT/$label.json" 2> "$OUT/$label.time" || true
    rss=$(grep "Maximum resident" "$OUT/$label.time" | awk '{print $NF}')
    wall=$(grep "Elapsed (wall" "$OUT/$label.time" | awk '{print $NF}')
    echo "$label: peak RSS ${rss} KB, wall ${wall}"
}
run big "$OUT/big.zip"
run bomb4g "$OUT/bomb4g.zip"
run bomb4g-no-ratio-limit "$OUT/bomb4g.zip" --max-ratio 1000000000
run bomb10m fixtures/hostile/submission/压缩包/炸弹.zip
run overlap fixtures/hostile/submission/压缩包/重叠炸弹.zip
run fault-folder fixtures/hostile/submission
