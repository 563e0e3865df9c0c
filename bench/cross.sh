#!/usr/bin/env bash
# Benchmark of the audit's cross-submission pass (issue #16): the same synthetic year audited
# with the pass and without it (YANSHOU_CROSS=off, a hidden switch for this measurement), at
# several sizes, to show what the pass adds in time and memory and that it does not grow with
# the square of the number of documents. Not a test: it prints numbers, asserts nothing.
#
#   bench/cross.sh [N ...]      sizes (default: 1000 500 250)
# Environment:
#   BENCH_DIR=target/yanshou-bench/cross   where the pools, the years and outputs go (reused)
#   YANSHOU=target/release/yanshou if built, else target/debug/yanshou
#   JOBS=2
# Needs: ffmpeg (libx264), python3, GNU time (/usr/bin/time).
#
# Each submission has 4 DOCX (a LibreOffice-made package from fixtures/cross with generated
# text: its own vocabulary plus the template paragraph every submission shares), 3 photos
# (640×480 JPEG, all different) and a recording (2–20 s MP4, all different), hard-linked from
# pools made once by ffmpeg (bench/make_cross_year.py); every 25th submission plants a text,
# photo and recording reuse. Both runs read the same tree with a warm page cache, no facts cache.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
SIZES=${*:-1000 500 250}
BENCH_DIR=${BENCH_DIR:-$repo/target/yanshou-bench/cross}
JOBS=${JOBS:-2}
if [ -z "${YANSHOU:-}" ]; then
    YANSHOU=$repo/target/release/yanshou
    [ -x "$YANSHOU" ] || YANSHOU=$repo/target/debug/yanshou
fi
template="$repo/fixtures/cross/year/XXJL-2025-01-新疆农学会-学术年会/总结报告.docx"
mkdir -p "$BENCH_DIR/work"
max=0
for n in $SIZES; do [ "$n" -gt "$max" ] && max=$n; done
echo "yanshou: $YANSHOU ($("$YANSHOU" --version)); $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

measure() { # label env... -- command...
    local t="$BENCH_DIR/time.txt"
    /usr/bin/time -f "%e %M" -o "$t" "$@" > /dev/null 2>&1 || true
    tail -n 1 "$t"
}

printf '\n%6s %6s %8s %10s %10s %10s %10s %9s %9s %8s %7s %7s\n' \
    N docs photos audit_off_s audit_on_s pass_s rss_off_MB rss_on_MB fp_MB pairs planted found
for n in $SIZES; do
    year="$BENCH_DIR/year-$n"
    full="$BENCH_DIR/year-$max"
    if [ ! -f "$full/.done" ]; then
        rm -rf "$full" && mkdir -p "$full/root"
        python3 "$here/make_cross_year.py" "$template" "$BENCH_DIR/work" "$full/root" "$max"
        touch "$full/.done"
    fi
    if [ ! -f "$year/.done" ]; then
        # A smaller size: the first n submissions of the largest, hard-linked.
        rm -rf "$year" && mkdir -p "$year/root"
        ls "$full/root" | sort | head -n "$n" | while read -r d; do cp -al "$full/root/$d" "$year/root/"; done
        awk -F'\t' -v n="$n" '{ split($3, p, "-"); if (p[3] + 0 < n) print }' "$full/planted-$max.tsv" > "$year/planted-$n.tsv"
        touch "$year/.done"
    fi
    find "$year/root" -type f -print0 | xargs -0 cat > /dev/null
    rm -rf "$year/out-off" "$year/out-on"
    read -r off_s off_kb < <(measure env YANSHOU_CROSS=off "$YANSHOU" audit "$year/root" --out "$year/out-off" --jobs "$JOBS" --quiet --no-cache --ocr off)
    read -r on_s on_kb < <(measure "$YANSHOU" audit "$year/root" --out "$year/out-on" --jobs "$JOBS" --quiet --no-cache --ocr off)
    python3 - "$year" "$n" "$off_s" "$on_s" "$off_kb" "$on_kb" <<'PY'
import json, os, sys
year, n, off_s, on_s, off_kb, on_kb = sys.argv[1:]
s = json.load(open(os.path.join(year, "out-on", "summary.json")))
c = s["cross"]
fp = os.path.getsize(os.path.join(year, "out-on", "fingerprints.jsonl")) / 1048576
planted = set()
for line in open(os.path.join(year, f"planted-{n}.tsv"), encoding="utf-8"):
    code, a, b = line.rstrip("\n").split("\t")
    planted.add((code, a, b))
found = set()
for p in s["projects"]:
    d = json.load(open(os.path.join(year, "out-on", p["dir"], "dossier.json")))
    for f in d.get("findings", []):
        other = f.get("other") or {}
        pair = sorted([p["name"], other.get("project", "-")])
        found.add((f["code"], pair[0], pair[1]))
right = len(found & planted)
print(f"{n:>6} {c['counts']['documents']:>6} {c['counts']['photos']:>8} {float(off_s):>10.1f} {float(on_s):>10.1f} "
      f"{c['seconds']:>10.2f} {int(off_kb)/1024:>10.1f} {int(on_kb)/1024:>9.1f} {fp:>9.1f} {c['counts']['candidate_pairs']:>8} "
      f"{len(planted):>7} {right:>3}/{len(found)}")
PY
done
echo
echo "pass_s: the comparison after the last submission was read (rewriting the dossiers with"
echo "findings included); the rest of what the pass costs (fingerprints while reading, the"
echo "spill) is in audit_on_s - audit_off_s. found: right/all findings (pairs)."
