"""Local inputs: walking folders, reading files, deciding their encoding from the bytes.

Encodings are detected, never asked for: a BOM (UTF-8, UTF-16, UTF-32) wins, then strict UTF-8,
then strict GB18030 (which covers GBK and GB2312). Line ends stay as they are; ``lines`` splits on
CRLF, CR and LF only, the way editors number lines. An input that cannot be read raises
``InputError`` with one sentence naming the file; it must never stop the other files.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from crawler.errors import InputError
from crawler.records import SourceText, split_lines

SUFFIXES = (".txt", ".html", ".htm")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 controls other than tab, LF, VT, FF, CR: text converted from PDF or Word does not hold them.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def shown(path: str) -> str:
    """``path`` as a person reads it, for messages and reports; the file is still opened by ``path`` itself.

    A name that is not UTF-8 (a GBK name unzipped from a Windows archive) reaches Python with its bytes as
    surrogates, which no writer can encode: each such part of the path is read as GB18030 when it is that,
    else its undecodable bytes are escaped (``\\xb0``).
    """
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        pass
    parts = []
    for part in os.fsencode(path).split(b"/"):
        for codec in ("utf-8", "gb18030"):
            try:
                parts.append(part.decode(codec))
                break
            except UnicodeDecodeError:
                continue
        else:
            parts.append(part.decode("utf-8", "backslashreplace"))
    return "/".join(parts)


def iter_inputs(paths: Iterable[str]) -> Iterator[str | InputError]:
    """Each file to read under ``paths`` (folders walked for .txt/.html/.htm, sorted), or the error for a path.

    A file named on the command line is read whatever its suffix; hidden files and folders are skipped
    in walks. Paths are yielded as the user wrote them, joined with what the walk found.
    """
    for path in paths:
        name = shown(path)
        if os.path.isdir(path):
            found = False
            for folder, subfolders, files in os.walk(path):
                subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and name.lower().endswith(SUFFIXES):
                        found = True
                        yield os.path.join(folder, name)
            if not found:
                yield InputError(name, f"{name}: no .txt, .html or .htm files in this folder")
        elif os.path.isfile(path):
            yield path
        elif os.path.exists(path):
            yield InputError(name, f"{name}: not a regular file or folder; give a report file or a folder of them")
        else:
            yield InputError(name, f"{name}: no such file or folder")


def decode(data: bytes, path: str) -> tuple[str, str]:
    """The text of ``data`` and the codec that decoded it; ``InputError`` naming ``path`` if none does."""
    if not data:
        raise InputError(path, f"{path}: the file is empty; nothing to validate")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as error:
                raise InputError(
                    path, f"{path}: starts with a {codec.upper()} byte-order mark but is not valid {codec.upper()} "
                    f"at byte {error.start}; save it again as UTF-8"
                ) from None
            return text.removeprefix("\ufeff"), codec
    if b"\x00" in data:
        raise InputError(path, f"{path}: looks binary (it holds NUL bytes); give a text or HTML file")
    for codec in ("utf-8", "gb18030"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if len(_CONTROL.findall(text[:65536])) > 8:
            raise InputError(path, f"{path}: looks binary (it holds control characters); give a text or HTML file")
        return text, codec
    raise InputError(path, f"{path}: cannot be decoded as UTF-8, UTF-16 or GB18030; save it as UTF-8")


def read_source(path: str, max_bytes: int) -> SourceText:
    """The decoded ``SourceText`` of the file at ``path``; ``InputError`` if it cannot be read as text.

    The source's ``path`` is the name as people read it (``shown``).
    """
    file, path = path, shown(path)
    try:
        size = os.path.getsize(file)
        if size > max_bytes:
            raise InputError(
                path, f"{path}: is {size:,} bytes, over the limit of {max_bytes:,}; "
                "split it or raise validate.max_file_bytes"
            )
        data = Path(file).read_bytes()
    except FileNotFoundError:
        raise InputError(path, f"{path}: no such file or folder") from None
    except PermissionError:
        raise InputError(path, f"{path}: permission denied; make the file readable") from None
    except IsADirectoryError:
        raise InputError(path, f"{path}: is a folder where a file was expected") from None
    except OSError as error:
        raise InputError(path, f"{path}: cannot be read ({error.strerror})") from None
    text, encoding = decode(data, path)
    return SourceText(path=path, text=text, encoding=encoding, lines=split_lines(text))


def source_from_text(path: str, text: str) -> SourceText:
    """A ``SourceText`` for text that did not come from a file (a stored page, a test)."""
    return SourceText(path=path, text=text, encoding="utf-8", lines=split_lines(text))
