#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_image_archive into tests/fuzz/corpus/image: small archives in
each compression, every kind of hostile entry the extractor refuses, a ZFS send stream head,
and registry side files. Run it again only to change the seeds (the files are committed)."""

import gzip
import io
import lzma
import struct
import subprocess
import tarfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "corpus" / "image"


def tar(entries, fmt=tarfile.PAX_FORMAT):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as t:
        for e in entries:
            info = tarfile.TarInfo(e["name"])
            info.mtime = 1700000000
            info.mode = e.get("mode", 0o644)
            kind = e.get("type", "file")
            data = e.get("data", b"")
            if kind == "dir":
                info.type = tarfile.DIRTYPE
                info.mode = e.get("mode", 0o755)
            elif kind == "sym":
                info.type = tarfile.SYMTYPE
                info.linkname = e["link"]
            elif kind == "hard":
                info.type = tarfile.LNKTYPE
                info.linkname = e["link"]
            elif kind == "chr":
                info.type = tarfile.CHRTYPE
                info.devmajor, info.devminor = 1, 3
            elif kind == "fifo":
                info.type = tarfile.FIFOTYPE
            info.size = len(data) if kind == "file" else 0
            t.addfile(info, io.BytesIO(data) if kind == "file" else None)
    return buf.getvalue()


def xz(data, block=None):
    if block:
        return subprocess.run(["xz", "-T2", "-1", f"--block-size={block}", "-c"], input=data, capture_output=True,
                              check=True).stdout
    return lzma.compress(data, preset=1)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    good = tar([
        {"name": "./", "type": "dir"},
        {"name": "./etc", "type": "dir"},
        {"name": "./etc/motd", "data": b"hello\n"},
        {"name": "./etc/motd.link", "type": "sym", "link": "motd"},
        {"name": "./etc/motd.hard", "type": "hard", "link": "./etc/motd"},
        {"name": "./bin/tool", "data": b"#!/bin/sh\n", "mode": 0o755},
        {"name": "./" + "d" * 120 + "/" + "f" * 150, "data": b"long name"},
    ])
    seeds = {
        "good.tar": good,
        "good.tar.xz": xz(good),
        "good-blocks.tar.xz": xz(good + tar([{"name": f"f{i}", "data": bytes([i]) * 4096} for i in range(64)]),
                                 block=16384),
        "good.tar.gz": gzip.compress(good, mtime=0),
        "good-gnu.tar": tar([{"name": "x" * 200, "data": b"gnu long"}], tarfile.GNU_FORMAT),
        "dotdot.tar.xz": xz(tar([{"name": "../escaped", "data": b"x"}])),
        "absolute.tar": tar([{"name": "/tmp/warden-fuzz-absolute", "data": b"x"}]),
        "symlink-escape.tar": tar([{"name": "evil", "type": "sym", "link": "../../../etc"}]),
        "through-symlink.tar": tar([{"name": "l", "type": "sym", "link": "/tmp"},
                                    {"name": "l/warden-fuzz-through", "data": b"x"}]),
        "hardlink-escape.tar": tar([{"name": "h", "type": "hard", "link": "../../etc/passwd"}]),
        "device.tar": tar([{"name": "dev/null", "type": "chr", "mode": 0o666}]),
        "fifo.tar": tar([{"name": "fifo", "type": "fifo"}]),
        "setuid.tar": tar([{"name": "su", "data": b"x", "mode": 0o4755}]),
        "dir-then-file.tar": tar([{"name": "a", "type": "dir"}, {"name": "a", "data": b"x"}]),
        "bomb.tar.xz": xz(tar([{"name": "zeros", "data": bytes(4 << 20)}])),
        "zfs.xz": xz(struct.pack("<IIQ", 0, 0, 0x2F5BACBAC) + bytes(296)),
        "truncated.tar.xz": xz(good)[:-30],
        "garbage.bin": bytes(range(256)) * 3,
        "empty": b"",
        "meta-layered": b"base:13.2@1690000000\n",
        "meta-base": b"-\n",
        "digest.skein": b"a" * 256 + b"\n",
        "signature.sig": b"untrusted comment: verify with key.pub\n"
                         b"RWQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
    }
    for name, data in seeds.items():
        (OUT / name).write_bytes(data)


if __name__ == "__main__":
    main()
