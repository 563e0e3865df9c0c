#!/usr/bin/env python3
"""Makes the big submission zips for bench/bigzip.sh (not committed: gigabytes).

    python3 bench/make_bigzip.py OUT_DIR

- big.zip (~2.3 GB, sparse on disk): a stored 2 GiB MP4 (ftyp + 2 GiB mdat of zeros, written
  as a hole + the moov of fixtures/media/dur_0300.mp4), a deflated 300 MiB MP4 of random
  bytes (streamed by the restartable inflater: larger than Limits::max_entry_memory), and a
  small DOCX.
- bomb4g.zip (~4 MB): 4 GiB of zeros deflated (zip64), a bomb that only the ratio limit stops.
"""
import os
import struct
import sys
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
FX = os.path.join(HERE, "..", "fixtures")


def moov():
    d = open(os.path.join(FX, "media", "dur_0300.mp4"), "rb").read()
    i = 0
    while i < len(d):
        size, kind = struct.unpack(">I4s", d[i:i + 8])
        if kind == b"moov":
            return d[i:i + size]
        i += size
    raise SystemExit("no moov")


def mp4_parts(mdat_len):
    ftyp = struct.pack(">I4s4sI", 20, b"ftyp", b"isom", 512) + b"isom"
    mdat_header = struct.pack(">I4sQ", 1, b"mdat", 16 + mdat_len)  # 64-bit size
    return ftyp + mdat_header, moov()


def crc_of_zeros(n, crc=0):
    chunk = bytes(64 << 20)
    while n:
        k = min(n, len(chunk))
        crc = zlib.crc32(chunk[:k] if k < len(chunk) else chunk, crc)
        n -= k
    return crc


def stored_sparse_entry(f, name, head, hole, tail):
    """Writes a stored entry whose middle is a hole (zeros) in the output file."""
    size = len(head) + hole + len(tail)
    crc = zlib.crc32(head)
    crc = crc_of_zeros(hole, crc)
    crc = zlib.crc32(tail, crc) & 0xFFFFFFFF
    offset = f.tell()
    name_b = name.encode()
    f.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x0800, 0, 0, 0x5021,
                        crc, size, size, len(name_b), 0))
    f.write(name_b)
    f.write(head)
    f.seek(hole, os.SEEK_CUR)
    f.write(tail)
    return (name_b, crc, size, size, offset, 0)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/yanshou-bench"
    os.makedirs(out, exist_ok=True)
    big = os.path.join(out, "big.zip")
    with open(big, "wb") as f:
        entries = []
        head, tail = mp4_parts(2 << 30)
        entries.append(stored_sparse_entry(f, "07-主旨报告录像/主旨报告-2GB.mp4", head, 2 << 30, tail))
        # A deflated entry bigger than max_entry_memory: random media data does not compress.
        head, tail = mp4_parts(300 << 20)
        body = head + os.urandom(300 << 20) + tail
        comp = zlib.compressobj(1, zlib.DEFLATED, -15)
        packed = comp.compress(body) + comp.flush()
        crc = zlib.crc32(body) & 0xFFFFFFFF
        name = "07-主旨报告录像/主旨报告-300MB-deflated.mp4".encode()
        offset = f.tell()
        f.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x0800, 8, 0, 0x5021,
                            crc, len(packed), len(body), len(name), 0))
        f.write(name)
        f.write(packed)
        entries.append((name, crc, len(packed), len(body), offset, 8))
        del body, packed
        docx = open(os.path.join(FX, "submissions", "XXJL-2025-01-新疆农学会-全疆学术年会",
                                 "03-总结报告", "总结报告.docx"), "rb").read()
        name = "03-总结报告/总结报告.docx".encode()
        offset = f.tell()
        crc = zlib.crc32(docx) & 0xFFFFFFFF
        f.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x0800, 0, 0, 0x5021,
                            crc, len(docx), len(docx), len(name), 0))
        f.write(name)
        f.write(docx)
        entries.append((name, crc, len(docx), len(docx), offset, 0))
        cd = f.tell()
        for name, crc, csize, size, offset, method in entries:
            f.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x0800, method, 0,
                                0x5021, crc, csize, size, len(name), 0, 0, 0, 0, 0, offset))
            f.write(name)
        cd_size = f.tell() - cd
        f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries),
                            cd_size, cd, 0))
    bomb = os.path.join(out, "bomb4g.zip")
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("zeros.txt", "w", force_zip64=True) as w:
            chunk = bytes(64 << 20)
            for _ in range(64):
                w.write(chunk)
    for p in (big, bomb):
        st = os.stat(p)
        print(f"{p}: {st.st_size} bytes, {st.st_blocks * 512} on disk")


if __name__ == "__main__":
    main()
