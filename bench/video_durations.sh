#!/usr/bin/env bash
# Benchmark: time to read the durations of every fixture video, yanshou against ffprobe,
# whole processes, in the same run.
#
#   bash bench/video_durations.sh [ROUNDS]
#
# - yanshou, one process for all files:  yanshou facts --json FILES
# - yanshou, one process per file:       yanshou facts --json FILE   (like ffprobe)
# - ffprobe, one process per file:       ffprobe -v error -show_format FILE
# Each is run ROUNDS times (default 5); the best round is reported (least disturbed by the
# other work on the machine), with the ratio ffprobe / yanshou. Needs a release build
# (made here) and ffprobe. Timings are printed, never asserted (no timed tests).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
cargo build --release --quiet
BIN=target/release/yanshou
mapfile -t FILES < <(ls fixtures/video/* fixtures/media/*.mp4 fixtures/media/*.mov |
    grep -v -e '\.sh$' -e '\.tsv$' -e '/trunc_' | sort)
echo "files: ${#FILES[@]} videos, $(cat "${FILES[@]}" | wc -c) bytes"

now() { date +%s%N; }
best() { # command... ; prints the best wall time of ROUNDS rounds in ms
    local best=
    for _ in $(seq "$ROUNDS"); do
        local t0; t0=$(now)
        "$@" >/dev/null 2>&1
        local t=$((($(now) - t0) / 1000))
        if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
    done
    printf '%d.%03d' $((best / 1000)) $((best % 1000))
}
all_once() { "$BIN" facts --json "${FILES[@]}"; }
each_yanshou() { for f in "${FILES[@]}"; do "$BIN" facts --json "$f"; done; }
each_ffprobe() { for f in "${FILES[@]}"; do ffprobe -v error -show_format "$f"; done; }

y1=$(best all_once)
yn=$(best each_yanshou)
fn=$(best each_ffprobe)
printf '%-44s %10s ms\n' "yanshou facts --json (one process, all files)" "$y1"
printf '%-44s %10s ms\n' "yanshou facts --json (one process per file)" "$yn"
printf '%-44s %10s ms\n' "ffprobe -show_format (one process per file)" "$fn"
awk -v y1="$y1" -v yn="$yn" -v fn="$fn" 'BEGIN {
    printf "ratio ffprobe / yanshou: %.1fx (per file), %.1fx (yanshou in one process)\n", fn / yn, fn / y1
}'
