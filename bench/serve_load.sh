#!/usr/bin/env bash
# Bounded load test of `yanshou serve` on loopback: N concurrent uploads (curl, in parallel) of
# one fixture submission zip, each polled until its check ends; then every dossier is compared
# with the expected verdicts (fixtures/submissions/EXPECTED.md). Prints throughput.
# Not part of `cargo test` (timing). Run from the crate root:
#   bash bench/serve_load.sh [N]        (default N=20; BIN=target/release/yanshou)
# PAD_MB=50 adds a file of that many random (incompressible) megabytes to the zip, stored, to
# measure upload throughput with a realistic size (the fixture alone is 0.35 MB).
set -euo pipefail
N=${1:-20}
BIN=${BIN:-target/release/yanshou}
NAME=XXJL-2025-02-新疆计算机学会-全疆论坛
WANT_FAIL="keynote-decks keynote-recordings label proceedings-or-transfer-list summary-report"
[ -x "$BIN" ] || cargo build --release
for tool in curl python3; do command -v $tool >/dev/null || { echo "serve_load: $tool not found" >&2; exit 2; }; done

work=$(mktemp -d "${TMPDIR:-/tmp}/yanshou-serve-load.XXXXXX")
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

# The submission as a society would zip it: its folder as the single top-level entry.
(cd fixtures/submissions && python3 - "$work/$NAME.zip" "$NAME" <<'PY'
import os, sys, zipfile
out, name = sys.argv[1], sys.argv[2]
pad = int(os.environ.get("PAD_MB", "0"))
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for root, dirs, files in os.walk(name):
        dirs.sort()
        for f in sorted(files):
            z.write(os.path.join(root, f))
    if pad:
        z.writestr(zipfile.ZipInfo(name + "/附件/原始数据.bin"), os.urandom(pad << 20), zipfile.ZIP_STORED)
PY
)
zip="$work/$NAME.zip"
bytes=$(stat -c %s "$zip")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
TMPDIR="$work" "$BIN" serve --port "$port" 2> "$work/server.log" &
server_pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done

one() {
    local i=$1 id stage
    curl -fsS -F category= -F "archive=@$zip;filename=$NAME.zip" "http://127.0.0.1:$port/api/jobs" > "$work/accepted-$i.json" || { echo "upload $i refused" > "$work/err-$i"; return; }
    date +%s.%N > "$work/uploaded-$i"
    id=$(grep -oE '"id":"[0-9a-f]+"' "$work/accepted-$i.json" | cut -d'"' -f4)
    # Poll as the page does; grep, not python, so the client costs little CPU next to the server.
    while :; do
        curl -fsS "http://127.0.0.1:$port/api/jobs/$id" > "$work/status-$i.json"
        grep -qE '"stage":"(done|failed)"' "$work/status-$i.json" && break
        sleep 0.2
    done
    curl -fsS "http://127.0.0.1:$port/jobs/$id/dossier.json" > "$work/dossier-$i.json" || true
    curl -fsS "http://127.0.0.1:$port/jobs/$id/dossier.docx" > "$work/dossier-$i.docx" || true
    date +%s.%N > "$work/done-$i"
}

t0=$(date +%s.%N)
pids=()
for i in $(seq "$N"); do one "$i" & pids+=($!); done
for p in "${pids[@]}"; do wait "$p" || true; done
t1=$(date +%s.%N)

python3 - "$work" "$N" "$bytes" "$t0" "$t1" "$WANT_FAIL" <<'PY'
import json, os, sys, zipfile
work, n, size, t0, t1, want = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), sorted(sys.argv[6].split())
ok = 0
bad = []
uploaded = []
seconds = []
for i in range(1, n + 1):
    try:
        seconds.append(json.load(open(f"{work}/status-{i}.json"))["seconds"])
        d = json.load(open(f"{work}/dossier-{i}.json"))
        fails = sorted(r["id"] for r in d["requirements"] if r["verdict"] == "fail")
        z = zipfile.ZipFile(f"{work}/dossier-{i}.docx")
        z.getinfo("word/document.xml")
        uploaded.append(float(open(f"{work}/uploaded-{i}").read()))
        if d["verdict"] == "fail" and fails == want:
            ok += 1
        else:
            bad.append((i, d["verdict"], fails))
    except Exception as e:
        bad.append((i, "error", repr(e)))
wall = t1 - t0
up = (max(uploaded) - t0) if uploaded else float("nan")
mb = size / 1e6
print(f"uploads: {n} concurrent x {mb:.2f} MB ({size} bytes) = {n*mb:.1f} MB")
print(f"all {n} uploads accepted after {up:.2f} s: {n/up:.1f} uploads/s, {n*mb/up:.1f} MB/s (upload only)")
print(f"all {n} checks done, dossiers fetched after {wall:.2f} s: {n/wall:.2f} uploads/s, {n*mb/wall:.2f} MB/s end to end")
if seconds:
    print(f"server-side check time per upload: mean {sum(seconds)/len(seconds):.2f} s, max {max(seconds):.2f} s (2 checks at a time)")
print(f"correct responses: {ok}/{n} (verdict fail; failing requirements = {', '.join(want)}; DOCX has word/document.xml)")
for b in bad:
    print("WRONG:", b)
sys.exit(0 if ok == n else 1)
PY
left=$(find "$work" -mindepth 1 -maxdepth 1 -name 'yanshou-serve-*' -type d -exec sh -c 'ls -A "$1" | wc -l' _ {} \;)
echo "upload dirs left in the server's temp dir after all checks: ${left:-?}"
