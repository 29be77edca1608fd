"""Word 97–2003 (.doc), WPS and RTF files, read through LibreOffice: converted to .docx, then read as one.

LibreOffice (``soffice --headless``, Debian's ``libreoffice-writer-nogui``, installed by ``make office``)
keeps paragraphs, tables, list numbering, tracked changes and comments when it converts, so positions
are paragraphs as for a .docx. Each conversion runs in a temporary folder of its own, with a profile of
its own (two conversions at once do not meet), and is stopped after ``CONVERT_SECONDS``. A file it cannot
convert, or a machine without LibreOffice, gets one line naming the file and the fix: save it as .docx.
It must never write beside the input, nor keep anything once the file is read.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from crawler.errors import InputError
from crawler.records import Reading

CONVERT_SECONDS = 120
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RTF = b"{\\rtf"
# An Office file protected by a password is an OLE container of the encrypted package (MS-OFFCRYPTO).
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
NAMES = {".doc": "a Word 97–2003 (.doc) file", ".wps": "a WPS file", ".rtf": "an RTF file"}
SAVE_AS_DOCX = "save it as .docx (Word or WPS: 文件 > 另存为 > Word 文档 .docx)"


def is_encrypted_office(data: bytes) -> bool:
    """Whether ``data`` is an Office document locked with a password (Word 2007+ or 97–2003)."""
    return data.startswith(OLE) and ENCRYPTED in data


def converter() -> str | None:
    """The LibreOffice command on this machine, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_office(data: bytes, path: str, suffix: str, max_bytes: int) -> Reading:
    """The ``Reading`` of a .doc, .wps or .rtf file, through LibreOffice; ``InputError`` naming ``path`` else."""
    from crawler.docx import read_docx

    what = NAMES.get(suffix, "a Word 97–2003 file")
    if is_encrypted_office(data):
        raise InputError(path, f"{path}: is protected by a password; open it, remove the password and {SAVE_AS_DOCX}")
    command = converter()
    if command is None:
        raise InputError(path, f"{path}: {what}, which wrqa reads through LibreOffice, not installed here; "
                               f"{SAVE_AS_DOCX}, or install LibreOffice (make office)")
    with tempfile.TemporaryDirectory(prefix="wrqa-office-") as folder:
        work = Path(folder)
        source = work / f"input{suffix}"
        source.write_bytes(data)
        _convert(command, source, work, path)
        converted = work / "out" / "input.docx"
        if not converted.is_file():
            raise InputError(path, f"{path}: LibreOffice could not convert it (it is damaged, protected, or not "
                                   f"{what}); {SAVE_AS_DOCX}")
        return read_docx(converted.read_bytes(), path, max_bytes, encoding=suffix.lstrip("."))


def _convert(command: str, source: Path, work: Path, path: str) -> None:
    """Run LibreOffice on ``source`` into ``work/out``, in a session of its own so a stop ends all of it."""
    arguments = [command, "--headless", "--norestore", "--nologo", "--nolockcheck",
                 f"-env:UserInstallation={(work / 'profile').as_uri()}",
                 "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work / "out"), str(source)]
    try:
        process = subprocess.Popen(arguments, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, env={**os.environ, "HOME": str(work)},
                                   start_new_session=True)
    except OSError as error:
        raise InputError(path, f"{path}: LibreOffice could not be started ({error.strerror}); {SAVE_AS_DOCX}") from None
    try:
        process.wait(timeout=CONVERT_SECONDS)
    except subprocess.TimeoutExpired:
        raise InputError(path, f"{path}: LibreOffice did not convert it within {CONVERT_SECONDS} s; "
                               f"{SAVE_AS_DOCX}") from None
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # soffice.bin runs under a launcher: end the whole session
            process.wait()
