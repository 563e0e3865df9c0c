#!/usr/bin/env python3
"""Generates a synthetic year of submissions for bench/audit.sh.

usage: make_year.py TEMPLATES OUT N FILES_PER RECORDINGS VIDEO_GB

TEMPLATES holds real files made once by real producers (LibreOffice, ffmpeg): summary.docx,
proposal.docx, notice.pdf, report.pdf, deck.pptx, photo.jpg, recording.mp4 (a real, small
48-minute MP4 with moov at the end). Each submission gets copies of the documents and photos,
and RECORDINGS multi-GB recordings written as *sparse* files: the template's ftyp, an mdat box
whose 64-bit size spans VIDEO_GB of holes, and the template's moov at the end, so the file is a
valid MP4 of that size (ffprobe reads it) that costs no disk space.
"""
import os
import shutil
import struct
import sys


def boxes(data):
    pos = 0
    while pos + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        header = 8
        if size == 1:
            size = struct.unpack(">Q", data[pos + 8:pos + 16])[0]
            header = 16
        elif size == 0:
            size = len(data) - pos
        yield kind.decode("latin-1"), data[pos:pos + size]
        pos += size


def sparse_mp4(template, path, gib):
    data = open(template, "rb").read()
    parts = dict(boxes(data))
    ftyp, moov = parts["ftyp"], parts["moov"]
    mdat_size = gib * (1 << 30)
    with open(path, "wb") as f:
        f.write(ftyp)
        f.write(struct.pack(">I4sQ", 1, b"mdat", mdat_size))
        f.seek(len(ftyp) + mdat_size)  # the hole: mdat payload never written
        f.write(moov)


def main():
    tpl, out, n, per, recs, gib = sys.argv[1:7]
    n, per, recs, gib = int(n), int(per), int(recs), int(gib)
    cats = [("XXJL", "全疆学术年会"), ("QKPY", "期刊培育"), ("DJQC", "党建强会")]
    docs = [
        ("总结报告.docx", "summary.docx"),
        ("建议报告.docx", "proposal.docx"),
        ("会议活动文件/会议通知.pdf", "notice.pdf"),
        ("研究报告.pdf", "report.pdf"),
        ("绩效报告.pdf", "report.pdf"),
        ("专家名单.docx", "proposal.docx"),
    ]
    for i in range(1, n + 1):
        code, what = cats[i % 3]
        root = os.path.join(out, f"{code}-2025-{i:03d}-新疆第{i}学会-{what}")
        made = 0

        def put(rel, src):
            nonlocal made
            dst = os.path.join(root, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(os.path.join(tpl, src), dst)
            made += 1

        for rel, src in docs:
            put(rel, src)
        for k in range(1, 7):
            put(f"主旨报告幻灯片/报告{k}.pptx", "deck.pptx")
        for k in range(1, 11):
            put(f"新闻/新闻{k}.pdf", "notice.pdf")
        for k in range(1, recs + 1):
            dst = os.path.join(root, f"主旨报告录像/报告{k}.mp4")
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            sparse_mp4(os.path.join(tpl, "recording.mp4"), dst, gib)
            made += 1
        k = 0
        while made < per:
            k += 1
            put(f"会议现场图文/照片{k:03d}.jpg", "photo.jpg")


if __name__ == "__main__":
    main()
