#!/usr/bin/env python3
"""Zero the CUDA kernels of every GPU architecture but one in a shared library's .nv_fatbin section.

ONNX Runtime's CUDA provider carries cubins for sm_75..sm_120 (284 MB, 186 MB compressed). The device machine used
for docs/benchmarks.md takes 64 MiB per upload, so the copy sent there keeps only the H200's sm_90 cubins; the
zeroed entries keep their headers, so the driver still sees (and skips) them. usage: prune-fatbin.py IN OUT ARCH
"""
import struct
import subprocess
import sys

FATBIN_MAGIC = 0xBA55ED50


def main(src: str, dst: str, keep: int) -> None:
    data = bytearray(open(src, "rb").read())
    sections = subprocess.check_output(["readelf", "-S", "-W", src]).decode()
    line = next(l for l in sections.splitlines() if ".nv_fatbin" in l)
    fields = line.split("]")[1].split()
    offset, size = int(fields[3], 16), int(fields[4], 16)
    pos, end, kept, zeroed = offset, offset + size, 0, 0
    while pos < end:
        magic, _version, header_size, fat_size = struct.unpack_from("<IHHQ", data, pos)
        if magic != FATBIN_MAGIC:
            pos += 8  # fatbins are 8-byte aligned inside the section
            continue
        entry, fat_end = pos + header_size, pos + header_size + fat_size
        while entry < fat_end:
            _kind, _, entry_header, payload, _, _, _, _, arch = struct.unpack_from("<HHIQIIHHI", data, entry)
            if arch == keep:
                kept += payload
            else:
                data[entry + entry_header:entry + entry_header + payload] = bytes(payload)
                zeroed += payload
            entry += entry_header + payload
        pos = fat_end
    if kept == 0:
        sys.exit(f"no sm_{keep} kernels in {src}")
    open(dst, "wb").write(data)
    print(f"kept {kept >> 20} MiB of sm_{keep} kernels, zeroed {zeroed >> 20} MiB")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
