"""Bytes of an input item to text: UTF-8 (with or without BOM) first, then detection.

Spans index the text as decoded here, so decoding never rewrites the text beyond dropping a
byte-order mark.
"""

from __future__ import annotations

import codecs
import os
import re
import stat

from charset_normalizer import from_bytes

from storydesk.errors import InputError

# Byte-order marks that name their encoding; UTF-32 before UTF-16 (the UTF-32-LE BOM starts
# with the UTF-16-LE one).
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Byte-order marks of encodings whose line ends are not the byte b"\n".
WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Where detection finds several encodings equally plausible (short texts), the web's most
# common legacy encoding wins: it is what unlabelled non-UTF-8 Western news text usually is.
_PREFERRED_LEGACY = "cp1252"
_WIDE_UNICODE = ("utf_16", "utf_32")
# EBCDIC code pages map C0 control bytes to letters and C1 controls: binary bytes guessed as
# EBCDIC pass the control-character test, and no news text arrives in EBCDIC.
_EBCDIC = frozenset({"cp037", "cp273", "cp424", "cp500", "cp875", "cp1026", "cp1140"})

# Text has few C0 control characters (tab, line ends and form feed aside); bytes of an image
# or an archive decoded by any single-byte encoding have about one in ten: more than this
# share of the characters, and the bytes are no text, however short. C1 controls are not
# counted: mojibake ("\u00e2\x80\x99" for a curly apostrophe) is text with many of them.
MAX_CONTROL_SHARE = 0.05
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")

BINARY = "binary or undecodable"
EMPTY = "empty"


def decode(data: bytes, item: str, declared: str | None = None) -> str:
    """The text of ``data``; ``declared`` is a charset named by the source (HTTP header).

    Raises :class:`InputError` for binary or undecodable bytes and for empty or
    whitespace-only text."""
    text = _decode(data, item, declared)
    if len(_CONTROLS.findall(text)) > MAX_CONTROL_SHARE * len(text):
        raise InputError(item, BINARY)
    if not text.strip():
        raise InputError(item, EMPTY)
    return text


def _decode(data: bytes, item: str, declared: str | None) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], encoding, item)
    if b"\x00" in data:  # no text encoding without a BOM puts NUL bytes in real text
        raise InputError(item, BINARY)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared and _known(declared):
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    return _detect(data, item)


def _strict(data: bytes, encoding: str, item: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(item, BINARY) from exc


def _known(encoding: str) -> bool:
    try:
        codecs.lookup(encoding)
    except LookupError:
        return False
    return True


def _detect(data: bytes, item: str) -> str:
    # UTF-16 and UTF-32 are read only with a byte-order mark: without one (and without NUL
    # bytes, refused above) a guess of either is nearly always binary bytes read as CJK.
    matches = [m for m in from_bytes(data) if not m.encoding.startswith(_WIDE_UNICODE) and m.encoding not in _EBCDIC]
    if not matches:
        raise InputError(item, BINARY)
    best = matches[0]  # CharsetMatches iterate best first
    tied = (m for m in matches if m.chaos <= best.chaos and m.coherence >= best.coherence)
    chosen = next((m for m in tied if m.encoding == _PREFERRED_LEGACY), best)
    return str(chosen)


def too_big(size: int, cap: int) -> str:
    return f"{size} bytes, larger than the cap of {cap} bytes"


def check_regular(path: str) -> None:
    """Raises :class:`InputError` unless ``path`` is a regular file (or a link to one): a
    named pipe, a socket or a device would block a reader or never end."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(mode):
        raise InputError(path, f"not a regular file ({_kind(mode)})")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"


def read_capped(path: str, max_bytes: int) -> bytes:
    """The bytes of the regular file at ``path``; its size is checked against ``max_bytes``
    before reading, so a huge file is never loaded."""
    check_regular(path)
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise InputError(path, too_big(size, max_bytes))
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)  # the file may have grown since it was measured
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise InputError(path, too_big(len(data), max_bytes))
    return data
