#!/bin/sh
# Runs fuzz targets one after another (the build machine has 2 cores shared with others), each
# for $SECS seconds (default 120) in one process, and prints one line per target: exit status,
# executions, exec/s, corpus size, crash artifacts. Crashes land in fuzz/artifacts/<target>/.
# (No -jobs flag: libFuzzer's -jobs=N forks workers that log to fuzz-N.log; the default
# single in-process run is the one job we want.)
# Run from the crate root: `sh fuzz/run_all.sh [target...]` (default: every target in
# fuzz/Cargo.toml). Seeds come from `sh fuzz/seed.sh` (run first if fuzz/corpus/ is empty).
#
# cargo-fuzz needs nightly compiler flags (-Zsanitizer). With a nightly toolchain installed it
# is used; otherwise the stable compiler is told to accept them (RUSTC_BOOTSTRAP=1).
set -u
cd "$(dirname "$0")"
SECS=${SECS:-120}
LOG=${LOG:-/tmp/yanshou-fuzz}
mkdir -p "$LOG"
if rustup run nightly rustc --version >/dev/null 2>&1; then
    FUZZ="cargo +nightly fuzz"
else
    FUZZ="env RUSTC_BOOTSTRAP=1 cargo fuzz"
fi
if [ $# -eq 0 ]; then
    set -- $(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | grep -v '^yanshou-fuzz$')
fi
for t in "$@"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    before=$(ls "corpus/$t" | wc -l)
    $FUZZ run "$t" "corpus/$t" -- -max_total_time="$SECS" \
        -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 > "$LOG/$t.log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$LOG/$t.log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$LOG/$t.log" | tail -1)
    after=$(ls "corpus/$t" | wc -l)
    crashes=$(ls "artifacts/$t" | wc -l)
    echo "$t: exit $rc secs $SECS execs ${execs:-?} exec/s ${rate:-?} corpus $before->$after artifacts $crashes"
done
