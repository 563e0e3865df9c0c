#!/usr/bin/env bash
# Benchmark of `yanshou audit` over a synthetic year, against a reference pipeline that makes the
# same measurements with standard tools (pdftotext + ffprobe + a small Python counting script,
# bench/reference.py), in the same run. Not a test: it prints numbers, asserts nothing.
#
#   bench/audit.sh [N]        N submissions (default 100)
# Environment:
#   FILES_PER=100   files per submission (documents, 6 decks, 10 news PDFs, recordings, photos)
#   RECORDINGS=3    recordings per submission, each a sparse MP4 of VIDEO_GB GiB
#   VIDEO_GB=2
#   BENCH_DIR=target/yanshou-bench  where templates, the year and outputs go (reused if present;
#                   the recordings are sparse: 600 GiB apparent, a few hundred MiB on disk)
#   YANSHOU=target/release/yanshou (built with `cargo build --release` if missing)
#   THREADS="1 2"
#   GEN_ONLY=1      only make the templates and the year
# Needs: soffice, ffmpeg, ffprobe, pdftotext, python3, GNU time (/usr/bin/time).
#
# Templates are made once with real producers (LibreOffice for DOCX/PDF from a generated flat
# ODT with ~4,500 Chinese characters and the label; ffmpeg for a 48-minute MP4 and a photo;
# fixtures/ooxml/deck.pptx for the deck), then copied: recordings are sparse files (ftyp + a
# 64-bit mdat of holes + moov at the end), so 300 × 2 GiB costs no disk. Every run is warm
# (page cache), and both tools read the same tree.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
N=${1:-100}
FILES_PER=${FILES_PER:-100}
RECORDINGS=${RECORDINGS:-3}
VIDEO_GB=${VIDEO_GB:-2}
BENCH_DIR=${BENCH_DIR:-$repo/target/yanshou-bench}
YANSHOU=${YANSHOU:-$repo/target/release/yanshou}
THREADS=${THREADS:-"1 2"}

mkdir -p "$BENCH_DIR"
tpl="$BENCH_DIR/tpl"
if [ ! -f "$tpl/done" ]; then
    rm -rf "$tpl" && mkdir -p "$tpl"
    python3 - "$tpl" <<'PY'
import sys
label = "自治区科协2025年度学会重点资助项目"
para = ("本次学术年会围绕农业科技创新与乡村振兴主题，邀请院士和知名专家作主旨报告，"
        "参会代表就种业振兴、智慧农业、节水灌溉等议题深入交流，形成了多项决策咨询建议。")
def fodt(path, n):
    body = "".join(f"<text:p>{para}</text:p>\n" for _ in range(n))
    open(path, "w", encoding="utf-8").write(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3" '
        'office:mimetype="application/vnd.oasis.opendocument.text"><office:body><office:text>\n'
        f"<text:p>{label}</text:p>\n{body}</office:text></office:body></office:document>\n")
fodt(f"{sys.argv[1]}/summary.fodt", 60)    # ~4,700 字
fodt(f"{sys.argv[1]}/proposal.fodt", 28)   # ~2,200 字
fodt(f"{sys.argv[1]}/report.fodt", 150)    # ~11,700 字, several pages
fodt(f"{sys.argv[1]}/notice.fodt", 6)
PY
    (cd "$tpl" && soffice --headless --convert-to docx summary.fodt proposal.fodt >/dev/null 2>&1 &&
        soffice --headless --convert-to pdf report.fodt notice.fodt >/dev/null 2>&1)
    cp "$repo/fixtures/ooxml/deck.pptx" "$tpl/deck.pptx"
    ffmpeg -v error -f lavfi -i color=c=gray:s=64x64:r=1 -t 2900 -c:v libx264 -g 600 \
        -metadata comment="自治区科协2025年度学会重点资助项目" "$tpl/recording.mp4"
    ffmpeg -v error -f lavfi -i testsrc=s=1280x720 -frames:v 1 "$tpl/photo.jpg"
    touch "$tpl/done"
fi
year="$BENCH_DIR/year-$N-$FILES_PER-$RECORDINGS-$VIDEO_GB"
if [ ! -f "$year/.done" ]; then
    rm -rf "$year" && mkdir -p "$year"
    python3 "$here/make_year.py" "$tpl" "$year" "$N" "$FILES_PER" "$RECORDINGS" "$VIDEO_GB"
    touch "$year/.done"
fi

[ "${GEN_ONLY:-}" = 1 ] && exit 0
if [ ! -x "$YANSHOU" ]; then
    (cd "$repo" && cargo build --release --quiet)
fi
files=$(find "$year" -type f ! -name .done | wc -l)
doc_bytes=$(find "$year" -type f \( -name '*.docx' -o -name '*.pdf' -o -name '*.pptx' \) -printf '%s\n' | awk '{s+=$1} END {print s}')
apparent=$(du -s --apparent-size -B1 "$year" | cut -f1)
ondisk=$(du -s -B1 "$year" | cut -f1)
echo "year: $N submissions, $files files, documents $((doc_bytes / 1048576)) MiB, apparent $((apparent / 1073741824)) GiB, on disk $((ondisk / 1048576)) MiB"
echo "machine: $(nproc) cores; yanshou: $("$YANSHOU" --version)"
# Warm the page cache for both tools alike.
find "$year" -type f ! -name '*.mp4' -print0 | xargs -0 cat > /dev/null

measure() { # name threads command...
    local name=$1 threads=$2; shift 2
    local t="$BENCH_DIR/time.txt"
    /usr/bin/time -f "%e %M" -o "$t" "$@" > "$BENCH_DIR/$name-$threads.log" 2>&1 || true
    # GNU time puts "Command exited with non-zero status 1" first when yanshou finds a fail.
    read -r wall rss < <(tail -n 1 "$t")
    echo "$name $threads $wall $rss"
}

# The reference does no OCR, so neither does yanshou here (with Tesseract installed, the
# default `--ocr auto` would read the text in every photo that has no label in its metadata).
ocr_off=""
if "$YANSHOU" audit --help 2>/dev/null | grep -q -- '--ocr'; then ocr_off="--ocr off"; fi
results=()
for j in $THREADS; do
    rm -rf "$BENCH_DIR/out"
    results+=("$(measure yanshou "$j" env RAYON_NUM_THREADS="$j" "$YANSHOU" audit "$year" --out "$BENCH_DIR/out" --jobs "$j" --quiet --no-cache $ocr_off)")
    results+=("$(measure reference "$j" python3 "$here/reference.py" "$year" "$j")")
done
# Incremental re-audit: fill the cache, then re-run with it (2 threads).
rm -rf "$BENCH_DIR/out-cached"
"$YANSHOU" audit "$year" --out "$BENCH_DIR/out-cached" --jobs 2 --quiet $ocr_off > /dev/null 2>&1 || true
results+=("$(measure yanshou-cached 2 "$YANSHOU" audit "$year" --out "$BENCH_DIR/out-cached" --jobs 2 --quiet $ocr_off)")

printf '\n%-15s %7s %9s %9s %12s %12s %9s\n' tool threads wall_s files/s doc_MB/s peak_RSS_MB vs_ref
for r in "${results[@]}"; do
    read -r name j wall rss <<< "$r"
    ref=$(printf '%s\n' "${results[@]}" | awk -v j="$j" '$1 == "reference" && $2 == j {print $3}')
    awk -v n="$name" -v j="$j" -v w="$wall" -v r="$rss" -v f="$files" -v b="$doc_bytes" -v ref="$ref" 'BEGIN {
        ratio = (n == "reference" || ref == "") ? "-" : sprintf("%.1fx", ref / w);
        printf "%-15s %7s %9.2f %9.0f %12.1f %12.1f %9s\n", n, j, w, f / w, b / 1048576 / w, r / 1024, ratio }'
done
echo
grep -h "缓存" "$BENCH_DIR"/yanshou-cached-2.log || true
tail -n 1 "$BENCH_DIR"/reference-1.log
head -n 2 "$BENCH_DIR"/yanshou-1.log
