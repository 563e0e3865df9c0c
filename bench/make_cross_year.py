#!/usr/bin/env python3
"""Generates a synthetic year for bench/cross.sh: N submissions with distinct texts, photos and
recordings, a shared template, and planted reuse in every 25th submission.

usage: make_cross_year.py TEMPLATE_DOCX WORK OUT N

TEMPLATE_DOCX is a LibreOffice-made DOCX (fixtures/cross: its package, styles and
dcterms:created are kept; only word/document.xml's paragraphs are replaced). Photos come from
one ffmpeg run (random 16×12 blocks scaled to 640×480, every frame different), recordings from
another (testsrc2 + noise audio cut by the segment muxer into pieces of 2–20 s, so their
durations spread as a real year's do over minutes). Both pools live in WORK and are hard-linked
into the submissions, so 1,000 submissions cost the disk of one copy.

Texts: each submission gets its own vocabulary of random Han words, so two submissions share no
passage by chance, plus the template's fixed paragraph that every submission has (boilerplate
the pass must drop without comparing every pair of documents).

Planted, in submission i when i % 25 == 0: three paragraphs of submission i-1's summary, a photo
of submission i-7, the recording of submission i-3 (hard links: the same files again).
planted.tsv in OUT lists them.
"""
import os
import random
import re
import subprocess
import sys
import zipfile
from xml.sax.saxutils import escape

LABEL = "自治区科协2025年度学会重点资助项目"
TEMPLATE = ("本报告按照自治区科协项目管理办法的要求编写，内容包括项目基本情况、主要做法与成效、存在问题与下一步打算三部分，"
            "所附材料均为项目实施过程中形成的原始材料。项目组将继续加强与全国学会的交流合作，注重线上线下宣传推广，提升影响力。")


def vocabulary(rng):
    return ["".join(chr(rng.randint(0x4E00, 0x62FF)) for _ in range(rng.randint(2, 4))) for _ in range(80)]


def paragraph(rng, words, sentences):
    out = []
    for _ in range(sentences):
        out.append("，".join("".join(rng.sample(words, 2)) for _ in range(rng.randint(2, 4))) + "。")
    return "".join(out)


def docx(template, path, paras):
    with zipfile.ZipFile(template) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    body = "".join(f"<w:p><w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paras)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            if info.filename == "word/document.xml":
                xml = data.decode("utf-8")
                start = xml.index("<w:body>") + len("<w:body>")
                end = xml.index("<w:sectPr")
                data = (xml[:start] + body + xml[end:]).encode("utf-8")
            out.writestr(info, data)


def ff(*args):
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


def pools(work, n):
    photos = os.path.join(work, "photos")
    recs = os.path.join(work, "recordings")
    if not os.path.isdir(photos):
        os.makedirs(photos)
        ff("-f", "lavfi", "-i",
           "nullsrc=s=16x12:r=25,format=yuv444p,geq=lum='random(1)*255':cb='random(2)*255':cr='random(3)*255',"
           "scale=640:480:flags=neighbor,format=yuvj420p",
           "-frames:v", str(3 * n + 10), "-q:v", "5", os.path.join(photos, "p%05d.jpg"))
    if not os.path.isdir(recs):
        os.makedirs(recs)
        rng = random.Random(5)
        cuts, t = [], 0.0
        for _ in range(n + 5):
            t += rng.randint(20, 200) / 10
            cuts.append(f"{t:.1f}")
        ff("-f", "lavfi", "-i", "testsrc2=s=64x36:r=10", "-f", "lavfi", "-i", "anoisesrc=r=8000:seed=3",
           "-t", str(t), "-c:v", "libx264", "-preset", "ultrafast", "-g", "5", "-force_key_frames", ",".join(cuts),
           "-c:a", "aac", "-b:a", "16k", "-f", "segment", "-segment_times", ",".join(cuts),
           "-reset_timestamps", "1", os.path.join(recs, "r%05d.mp4"))
    return photos, recs


def main():
    template, work, out, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    photos, recs = pools(work, n)
    planted = []
    summaries = {}
    name = lambda i: f"XXJL-2025-{i:04d}-新疆第{i}学会-学术年会"
    for i in range(n):
        rng = random.Random(i)
        words = vocabulary(rng)
        root = os.path.join(out, name(i))
        for sub in ("会议活动文件", "会议现场图文", "主旨报告录像", "新闻"):
            os.makedirs(os.path.join(root, sub), exist_ok=True)
        own = [paragraph(rng, words, 5) for _ in range(10)]
        summaries[i] = own
        body = own
        if i % 25 == 0 and i > 0:
            body = own[:5] + summaries[i - 1][3:6] + own[5:]
            planted.append(("cross.text_reuse", name(i - 1), name(i)))
        head = [f"项目编号：XXJL-2025-{i:04d}", f"新疆第{i}学会", LABEL, TEMPLATE]
        docx(template, os.path.join(root, "总结报告.docx"), head + body)
        docx(template, os.path.join(root, "建议报告.docx"), head + [paragraph(rng, words, 5) for _ in range(5)])
        docx(template, os.path.join(root, "会议活动文件", "会议通知.docx"), head + [paragraph(rng, words, 3)])
        docx(template, os.path.join(root, "新闻", "新闻稿.docx"), head + [paragraph(rng, words, 4)])
        for k in range(3):
            src = os.path.join(photos, f"p{3 * i + k + 1:05d}.jpg")
            os.link(src, os.path.join(root, "会议现场图文", f"现场{k + 1}.jpg"))
        os.link(os.path.join(recs, f"r{i:05d}.mp4"), os.path.join(root, "主旨报告录像", "主旨报告1.mp4"))
        if i % 25 == 0 and i > 0:
            os.link(os.path.join(photos, f"p{3 * (i - 7) + 1:05d}.jpg"), os.path.join(root, "会议现场图文", "现场4.jpg"))
            planted.append(("cross.photo_reuse", name(i - 7), name(i)))
            os.link(os.path.join(recs, f"r{i - 3:05d}.mp4"), os.path.join(root, "主旨报告录像", "主旨报告2.mp4"))
            planted.append(("cross.recording_reuse", name(i - 3), name(i)))
    with open(os.path.join(out, "..", f"planted-{n}.tsv"), "w", encoding="utf-8") as f:
        for p in planted:
            f.write("\t".join(p) + "\n")


if __name__ == "__main__":
    main()
