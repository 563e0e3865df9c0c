#!/usr/bin/env bash
# Measures the photo hash's Hamming distances that `photos.max_distance` (checks/cross/2025.toml)
# must separate: a real photo against its re-handed-in variants (resized, recompressed,
# cropped, a label strip, all at once) and against other photos — frames a second or more apart
# of the same real footage (same scene, another moment: the hardest look-alike), and unrelated
# photos. Reads the real files of ../shared/corpus (never copied into the project); the hashes
# are yanshou's own (an audit's fingerprints.jsonl). Prints the distances; docs/cross-findings.md
# records a run.
#
#   bench/phash_threshold.sh        (needs ffmpeg, python3; YANSHOU as in bench/cross.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
corpus=${CORPUS:-$repo/../shared/corpus}   # CORPUS=… where the worktree is elsewhere
if [ -z "${YANSHOU:-}" ]; then
    YANSHOU=$repo/target/release/yanshou
    [ -x "$YANSHOU" ] || YANSHOU=$repo/target/debug/yanshou
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sub="$work/root/XXJL-2025-99-测量"
mkdir -p "$sub"
ff() { ffmpeg -hide_banner -loglevel fatal -y "$@" || true; }
font=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
label='自治区科协2025年度学会重点资助项目'

originals=()
for f in "$corpus"/image/*.jpg; do
    b=$(basename "$f" .jpg | tr ' ()' '___')
    cp "$f" "$sub/o_$b.jpg"
    originals+=("o_$b")
done
for v in "$corpus"/video/100_0306.AVI "$corpus/video/Sony ILCE-7M3 (A7M3).mts" "$corpus"/video/with-gps.mov \
    "$corpus"/video/testVideoMp4.mp4 "$corpus"/video/testMKV.mkv; do
    b=$(basename "$v" | tr ' ().' '____')
    ff -ss 0.2 -i "$v" -frames:v 1 -q:v 2 "$sub/o_${b}.jpg" || true
    [ -s "$sub/o_${b}.jpg" ] || { rm -f "$sub/o_${b}.jpg"; continue; }
    originals+=("o_$b")
    # Same footage, later moments: another photo of the same scene.
    for t in 1.2 2.5; do
        ff -ss "$t" -i "$v" -frames:v 1 -q:v 2 "$sub/s_${b}_$t.jpg" || true
    done
done
for o in "${originals[@]}"; do
    src="$sub/$o.jpg"
    ff -i "$src" -vf "scale=trunc(iw*0.5/2)*2:-2" -q:v 3 "$sub/v_${o}_resize50.jpg"
    ff -i "$src" -q:v 25 "$sub/v_${o}_q25.jpg"
    for c in 2 5 10; do
        ff -i "$src" -vf "crop=iw*(1-2*$c/100):ih*(1-2*$c/100)" -q:v 3 "$sub/v_${o}_crop$c.jpg"
    done
    ff -i "$src" -vf "drawbox=x=0:y=ih*0.9:w=iw:h=ih*0.1:color=white:t=fill,drawtext=fontfile=$font:text='$label':fontsize=h*0.05:x=6:y=h*0.92" -q:v 3 "$sub/v_${o}_label.jpg"
    ff -i "$src" -vf "crop=iw*0.96:ih*0.96,scale=trunc(iw*0.6/2)*2:-2,drawbox=x=0:y=ih*0.9:w=iw:h=ih*0.1:color=white:t=fill,drawtext=fontfile=$font:text='$label':fontsize=h*0.05:x=6:y=h*0.92" -q:v 9 "$sub/v_${o}_all.jpg"
done
"$YANSHOU" audit "$work/root" --out "$work/out" --quiet --no-cache --ocr off > /dev/null 2>&1 || true
python3 - "$work/out/fingerprints.jsonl" <<'PY'
import itertools, json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()[1:]
h = {}
for l in lines:
    for p in json.loads(l)["photos"]:
        h[p["path"].rsplit("/", 1)[-1][:-4]] = int(p["phash"], 16)
d = lambda a, b: bin(h[a] ^ h[b]).count("1")
variants, scenes, unrelated = {}, [], []
for name in h:
    if name.startswith("v_"):
        o, kind = name[2:].rsplit("_", 1)
        variants.setdefault(kind, []).append(d(name, o))
for name in h:
    if name.startswith("s_"):
        o = "o_" + name[2:].rsplit("_", 1)[0]
        if o in h:
            scenes.append(d(name, o))
origs = [n for n in h if n.startswith("o_")]
unrelated = [d(a, b) for a, b in itertools.combinations(origs, 2)]
print(f"{len(h)} photos hashed, {len(origs)} originals")
print("variant of the same photo (distance to its original): max, all")
for kind, ds in sorted(variants.items()):
    print(f"  {kind:9} max {max(ds):2}  {sorted(ds)}")
print(f"same footage, another moment: min {min(scenes)}  {sorted(scenes)}")
print(f"unrelated photos: min {min(unrelated)}  {sorted(unrelated)}")
PY
