#!/usr/bin/env python3
"""The reference pipeline of bench/audit.sh: the same measurements with standard tools.

usage: reference.py ROOT JOBS

For every file under ROOT: PDF → `pdftotext` (poppler) then count; DOCX/PPTX → zipfile + a regex
over the XML text runs (w:t / a:t) then count; MP4 → `ffprobe` duration; JPEG → dimensions from
the SOF marker. Counting is the Word 字数 rule (East Asian characters + runs of other
non-space characters) plus a label search. JOBS worker processes. Prints one summary line.
"""
import json
import os
import re
import subprocess
import sys
import zipfile
from multiprocessing import Pool

CJK = re.compile(r"[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
                 r"\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
RUN = re.compile(r"<(?:w|a):t(?: [^>]*)?>([^<]*)</(?:w|a):t>")
LABEL = "自治区科协2025年度学会重点资助项目"


def count(text):
    cjk = len(CJK.findall(text))
    words = len(CJK.sub(" ", text).split())
    return cjk + words, LABEL in re.sub(r"\s+", "", text)


def ooxml_text(path):
    out = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".xml") and ("word/" in name or "ppt/slides/slide" in name):
                out.extend(RUN.findall(z.read(name).decode("utf-8", "replace")))
    return "\n".join(out)


def jpeg_size(path):
    with open(path, "rb") as f:
        data = f.read(1 << 16)
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            i += 1
            continue
        marker, length = data[i + 1], int.from_bytes(data[i + 2:i + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return int.from_bytes(data[i + 7:i + 9], "big"), int.from_bytes(data[i + 5:i + 7], "big")
        i += 2 + length
    return None


def one(path):
    ext = path.rsplit(".", 1)[-1].lower()
    size = os.path.getsize(path)
    if ext == "pdf":
        text = subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", path, "-"],
                              capture_output=True).stdout.decode("utf-8", "replace")
        return ("doc", size, count(text))
    if ext in ("docx", "pptx"):
        return ("doc", size, count(ooxml_text(path)))
    if ext == "mp4":
        out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration",
                              "-of", "json", path], capture_output=True).stdout
        return ("video", size, json.loads(out or b"{}").get("format", {}).get("duration"))
    if ext in ("jpg", "jpeg"):
        return ("image", size, jpeg_size(path))
    return ("other", size, None)


def main():
    root, jobs = sys.argv[1], int(sys.argv[2])
    paths = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs
                   if not f.startswith("."))
    with Pool(jobs) as pool:
        results = pool.map(one, paths, chunksize=16)
    docs = sum(1 for r in results if r[0] == "doc")
    doc_bytes = sum(r[1] for r in results if r[0] == "doc")
    videos = [r for r in results if r[0] == "video"]
    print(f"reference: {len(results)} files, {docs} documents ({doc_bytes} bytes), "
          f"{len(videos)} videos ({sum(1 for v in videos if v[2])} with duration)")


if __name__ == "__main__":
    main()
