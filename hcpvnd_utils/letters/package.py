"""The .docx a letter is: a zip written around the template's unchanged parts.

The template's parts that no letter changes are compressed once (``ZipLayout``); each letter
adds only its rendered parts, compressed as they come (a print file's body is never held whole
in memory). Fixed dates in the zip headers: the same record gives the same bytes.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class _Entry:
    name: bytes
    method: int
    crc: int
    size: int
    data: bytes  # compressed (or stored) bytes


def entry(name: str, raw: bytes | Iterable[bytes | str], level: int) -> _Entry:
    """A zip member from bytes, or from chunks compressed as they come (a print file's body
    is never held whole in memory)."""
    if isinstance(raw, bytes) and (level == 0 or len(raw) < 256):
        return _Entry(name.encode(), zipfile.ZIP_STORED, zlib.crc32(raw), len(raw), raw)
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    crc, size, data = 0, 0, []
    for chunk in (raw,) if isinstance(raw, bytes) else raw:
        chunk = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
        crc, size = zlib.crc32(chunk, crc), size + len(chunk)
        data.append(packer.compress(chunk))
    data.append(packer.flush())
    return _Entry(name.encode(), zipfile.ZIP_DEFLATED, crc, size, b"".join(data))


_DOS_TIME, _DOS_DATE = 0, (2020 - 1980) << 9 | 1 << 5 | 1  # fixed: same input, same bytes


def _local_header(e: _Entry) -> bytes:
    fixed = (20, 0, e.method, _DOS_TIME, _DOS_DATE, e.crc, len(e.data), e.size, len(e.name), 0)
    return struct.pack("<4s5H3L2H", b"PK\x03\x04", *fixed) + e.name


def _central_header(e: _Entry, offset: int) -> bytes:
    fixed = (20, 20, 0, e.method, _DOS_TIME, _DOS_DATE, e.crc, len(e.data), e.size)
    rest = (len(e.name), 0, 0, 0, 0, 0, offset)
    return struct.pack("<4s6H3L5H2L", b"PK\x01\x02", *fixed, *rest) + e.name


class ZipLayout:
    """The unchanged parts as ready-made bytes; each call adds only the rendered parts."""

    def __init__(self, static: list[_Entry]):
        self.static = static
        self.head, self.central, offset = bytearray(), bytearray(), 0
        for e in static:
            self.central += _central_header(e, offset)
            local = _local_header(e) + e.data
            self.head += local
            offset += len(local)
        self.head, self.central = bytes(self.head), bytes(self.central)

    def build(self, rendered: dict[str, bytes], level: int = 6, replace: dict | None = None):
        if replace:  # parts of the template itself change (print file): no ready-made head
            kept = [e for e in self.static if e.name.decode() not in replace]
            return ZipLayout(kept).build({**replace, **rendered}, level)
        out, central, offset = [self.head], [self.central], len(self.head)
        for name, raw in rendered.items():
            e = entry(name, raw, level)
            central.append(_central_header(e, offset))
            out += (_local_header(e), e.data)
            offset += len(out[-2]) + len(e.data)
        central_bytes = b"".join(central)
        count = len(self.static) + len(rendered)
        end = struct.pack(
            "<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central_bytes), offset, 0
        )
        return b"".join(out) + central_bytes + end
