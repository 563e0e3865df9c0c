#!/usr/bin/env bash
# Memory at scale (issue #12): peak RSS of a whole `yanshou check` — the parent and every worker
# process together — against the number of files, and on two dozen huge-but-small PNGs.
# Not a test: it prints numbers, asserts nothing.
#
#   bench/isolation.sh                 10, 100, 1,000 and 10,000 files; 24 PNGs
# Environment:
#   YANSHOU=target/release/yanshou   the binary (built with `cargo build --release` if missing)
#   BEFORE=/path/to/older/yanshou    also measure an older binary in the same run
#   BENCH_DIR=target/isolation-bench
#   COUNTS="10 100 1000 10000"       PNGS=24   JOBS=2
# Needs: python3.
#
# Peak RSS is sampled: bench/treemem.py polls /proc every 10 ms and keeps the largest sum of the
# resident sets of the process and all its descendants (GNU time's "maximum resident set size"
# is the largest single process, which hides N workers running at once).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
YANSHOU=${YANSHOU:-$repo/target/release/yanshou}
BENCH_DIR=${BENCH_DIR:-$repo/target/isolation-bench}
COUNTS=${COUNTS:-"10 100 1000 10000"}
PNGS=${PNGS:-24}
JOBS=${JOBS:-2}
[ -x "$YANSHOU" ] || (cd "$repo" && cargo build --release)
mkdir -p "$BENCH_DIR"

python3 - "$BENCH_DIR" "$COUNTS" "$PNGS" <<'PY'
import os, sys, struct, zlib
root, counts, pngs = sys.argv[1], sys.argv[2].split(), int(sys.argv[3])
label = "自治区科协2025年度学会重点资助项目"
for n in map(int, counts):
    d = f"{root}/files-{n}/XXJL-2025-09-测试学会-全疆论坛"
    if os.path.isdir(d):
        continue
    os.makedirs(d)
    for i in range(n):
        with open(f"{d}/新闻{i:05}.txt", "w", encoding="utf-8") as f:
            f.write(f"{label}\n来源：自治区科协官网\n全疆论坛新闻 第{i}篇" + "交流" * 200)
d = f"{root}/pngs/XXJL-2025-09-测试学会-全疆论坛"
if not os.path.isdir(d):
    os.makedirs(d)
    # 7000×7000 RGBA, 16 bits per sample: 392 MB decoded, a few hundred KB on disk.
    w = h = 7000
    row = b"\x00" + bytes([0x12, 0x34]) * (w * 4)
    raw = zlib.compress(row * h, 9)
    def chunk(t, data):
        return struct.pack(">I", len(data)) + t + data + struct.pack(">I", zlib.crc32(t + data) & 0xffffffff)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, 6, 0, 0, 0)) \
        + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
    for i in range(pngs):
        open(f"{d}/现场照片{i:02}.png", "wb").write(png)
    print(f"PNG: {len(png)} bytes each, {pngs} files")
PY

measure() { # binary, folder → "seconds peak_MB exit" (older binaries have no --jobs)
    local jobs=()
    "$1" check --help | grep -q -- '--jobs' && jobs=(--jobs "$JOBS")
    python3 "$here/treemem.py" "$1" check "$2" --format json --ocr off "${jobs[@]}" 2>/dev/null
}

printf '%-8s %-10s %10s %12s %6s\n' binary case seconds "peak MB" exit
for bin in "$YANSHOU" ${BEFORE:-}; do
    name=$([ "$bin" = "$YANSHOU" ] && echo now || echo before)
    for n in $COUNTS; do
        read -r secs peak code < <(measure "$bin" "$BENCH_DIR/files-$n/XXJL-2025-09-测试学会-全疆论坛")
        printf '%-8s %-10s %10s %12s %6s\n' "$name" "$n files" "$secs" "$peak" "$code"
    done
    read -r secs peak code < <(measure "$bin" "$BENCH_DIR/pngs/XXJL-2025-09-测试学会-全疆论坛")
    printf '%-8s %-10s %10s %12s %6s\n' "$name" "$PNGS PNGs" "$secs" "$peak" "$code"
done
