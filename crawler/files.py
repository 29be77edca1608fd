"""Local inputs: walking folders, reading files, deciding their encoding from the bytes.

A folder is walked for every kind wrqa reads (``SUFFIXES``: text, saved pages, Word, WPS, RTF and PDF); what
the bytes are is decided by ``crawler.local``, which hands Word and PDF files to their readers.

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
from dataclasses import dataclass, field
from pathlib import Path

from crawler.errors import InputError
from crawler.records import SourceText, split_lines

SUFFIXES = (".txt", ".html", ".htm", ".docx", ".doc", ".wps", ".rtf", ".pdf")
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


@dataclass
class Inputs:
    """What a set of paths given on the command line holds: the files to read, in order; an error for each
    path that cannot be walked or read (a missing file, an unreadable folder, a symlink loop); and the files
    of walked folders that are not of a kind wrqa reads, skipped (counted and named in the run's summary)."""

    files: list[str] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def find_inputs(paths: Iterable[str], suffixes: tuple[str, ...] = SUFFIXES) -> Inputs:
    """The files under ``paths``: folders walked (sorted, links followed, hidden names skipped) for ``suffixes``.

    A file named on the command line is read whatever its suffix. Paths are kept as the user wrote them,
    joined with what the walk found; messages show them as people read them (``shown``).
    """
    found = Inputs()
    for path in paths:
        name = shown(path)
        if os.path.isdir(path):
            before = (len(found.files), len(found.errors))
            _walk(path, suffixes, found, {})
            if (len(found.files), len(found.errors)) == before:
                found.errors.append(InputError(name, f"{name}: no {_listed(suffixes)} files in this folder"))
        elif os.path.isfile(path):
            found.files.append(path)
        elif os.path.islink(path):
            found.errors.append(InputError(name, f"{name}: a link to {os.readlink(path)}, which does not exist"))
        elif os.path.exists(path):
            found.errors.append(
                InputError(name, f"{name}: not a regular file or folder; give a report file or a folder of them"))
        else:
            found.errors.append(InputError(name, f"{name}: no such file or folder"))
    return found


def _listed(suffixes: tuple[str, ...]) -> str:
    return ", ".join(suffixes[:-1]) + f" or {suffixes[-1]}" if len(suffixes) > 1 else suffixes[0]


def _walk(folder: str, suffixes: tuple[str, ...], found: Inputs, ancestors: dict[tuple[int, int], str]) -> None:
    """Walk ``folder`` depth-first; ``ancestors`` are the folders above it (by device and inode), to tell a loop."""
    try:
        status = os.stat(folder)
        with os.scandir(folder) as entries:
            listing = sorted(entries, key=lambda entry: entry.name)
    except OSError as error:
        name = shown(folder)
        found.errors.append(InputError(name, f"{name}: cannot be read ({error.strerror}); make it readable or "
                                             "leave it out"))
        return
    key = (status.st_dev, status.st_ino)
    if key in ancestors:
        name = shown(folder)
        found.errors.append(InputError(name, f"{name}: a symlink loop (it leads back to {shown(ancestors[key])}); "
                                             "not walked again"))
        return
    inside = {**ancestors, key: folder}
    for entry in listing:
        if entry.name.startswith("."):
            continue
        path = os.path.join(folder, entry.name)
        try:
            is_folder = entry.is_dir()
            is_file = not is_folder and entry.is_file()
        except OSError:
            is_folder = is_file = False
        if is_folder:
            _walk(path, suffixes, found, inside)
        elif is_file:
            (found.files if entry.name.lower().endswith(suffixes) else found.skipped).append(path)
        elif entry.is_symlink():
            name = shown(path)
            found.errors.append(InputError(name, f"{name}: a link to {os.readlink(path)}, which does not exist"))


def iter_inputs(paths: Iterable[str]) -> Iterator[str | InputError]:
    """Each file to read under ``paths``, then the error of each path that could not be walked (see ``find_inputs``)."""
    found = find_inputs(paths)
    yield from found.files
    yield from found.errors


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
        raise InputError(path, f"{path}: looks binary (it holds NUL bytes); give a text, HTML, Word or PDF file")
    for codec in ("utf-8", "gb18030"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if len(_CONTROL.findall(text[:65536])) > 8:
            raise InputError(path, f"{path}: looks binary (it holds control characters); "
                             "give a text, HTML, Word or PDF file")
        return text, codec
    raise InputError(path, f"{path}: cannot be decoded as UTF-8, UTF-16 or GB18030; save it as UTF-8")


def read_source(path: str, max_bytes: int) -> SourceText:
    """The decoded ``SourceText`` of the file at ``path``; ``InputError`` if it cannot be read as text.

    The source's ``path`` is the name as people read it (``shown``).
    """
    text, encoding = decode(read_bytes(path, max_bytes), shown(path))
    return SourceText(path=shown(path), text=text, encoding=encoding, lines=split_lines(text))


def read_bytes(path: str, max_bytes: int) -> bytes:
    """The bytes of the file at ``path``, at most ``max_bytes`` of them; ``InputError`` naming it otherwise."""
    file, path = path, shown(path)
    try:
        size = os.path.getsize(file)
        if size > max_bytes:
            raise InputError(
                path, f"{path}: is {size:,} bytes, over the limit of {max_bytes:,}; "
                "split it or raise validate.max_file_bytes"
            )
        return Path(file).read_bytes()
    except FileNotFoundError:
        raise InputError(path, f"{path}: no such file or folder") from None
    except PermissionError:
        raise InputError(path, f"{path}: permission denied; make the file readable") from None
    except IsADirectoryError:
        raise InputError(path, f"{path}: is a folder where a file was expected") from None
    except OSError as error:
        raise InputError(path, f"{path}: cannot be read ({error.strerror})") from None


def source_from_text(path: str, text: str) -> SourceText:
    """A ``SourceText`` for text that did not come from a file (a stored page, a test)."""
    return SourceText(path=path, text=text, encoding="utf-8", lines=split_lines(text))
