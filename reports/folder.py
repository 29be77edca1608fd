"""A folder wrqa writes a report into, and owns: it knows what it wrote, and touches nothing else.

``ReportFolder(path, subfolders)`` claims the folder: it creates it, or accepts an empty one or one that
holds wrqa's manifest (``.wrqa-manifest.json``); any other folder is refused. While it is open, files are
written by a temporary file in the same folder (``.NAME.wrqa-tmp-XXXXXXXX``, created exclusively, never
through a link) renamed over the target, so a killed run leaves whole files, and a link at the target is
replaced, never followed. Every name is opened from a descriptor of its folder with ``O_NOFOLLOW``, so no
link inside the folder leads a write, a read or a removal out of it. On closing, it removes the files the
manifest listed that were not written again and still hold the bytes wrqa wrote, and saves the manifest.

This module must never write, read, or remove anything through a link, nor remove a file whose bytes
are not those it wrote. Errors::

    ReportError          base of what the reports package raises on purpose
    └── FolderError      a folder wrqa must not or cannot write a report into (names it and the fix)
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import re
import secrets
import stat
from pathlib import Path

MANIFEST = ".wrqa-manifest.json"
LEGACY_MANIFEST = ".pages.json"  # page digests of the wrqa versions before the manifest
TEMP = re.compile(r"\..+\.wrqa-tmp-[0-9a-f]{8}")
_LEGACY_PAGE = re.compile(r"\d{5,}\.html")
_READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC  # non-blocking: a FIFO must not hang us
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


class ReportError(Exception):
    """Base of every error the reports package raises on purpose."""


class FolderError(ReportError):
    """A folder wrqa must not or cannot write a report into; ``folder`` as given, ``reason`` with the fix."""

    def __init__(self, folder: str, reason: str) -> None:
        super().__init__(folder, reason)
        self.folder, self.reason = folder, reason

    def __str__(self) -> str:
        return f"{self.folder}: {self.reason}"


class ReportFolder:
    """An output folder claimed for one write: ``with ReportFolder(path, ("documents",)) as folder: ...``.

    Names are relative to the folder, ``index.html`` or ``documents/00001.html``. A manifest entry holds the
    ``sha256`` of the bytes written, the file's ``size``, ``mtime_ns`` and ``ino`` (to notice a file changed
    by hand without reading it) and, for a page, the digest of the ``inputs`` it was rendered from.
    """

    def __init__(self, path: Path, subfolders: tuple[str, ...] = ()) -> None:
        self.path = Path(path)
        self._fds: dict[str, int] = {}
        self._before: dict[str, dict] = {}  # what the manifest listed when the folder was claimed
        self._now: dict[str, dict] = {}  # what this write wrote or kept
        try:
            self._claim(subfolders)
        except BaseException:
            self._close_fds()
            raise

    def __enter__(self) -> ReportFolder:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        try:
            if kind is None:
                self._save({**self._unremoved(), **self._now})
            else:  # cut short: still vouch for what was written, remove nothing, and let the error through
                with contextlib.suppress(OSError):
                    self._save({**self._before, **self._now})
        finally:
            self._close_fds()

    def reuse(self, name: str, inputs: str) -> bool:
        """Whether ``name`` is still the file wrqa wrote from ``inputs``; if so it is kept as it is."""
        entry = self._before.get(name)
        if entry is None or entry.get("inputs") != inputs or not _same(entry, self._lstat(name)):
            return False
        self._now[name] = entry
        return True

    def write(self, name: str, data: bytes, inputs: str | None = None) -> dict:
        """Make ``name`` hold ``data`` (unless it already does) and return its manifest entry."""
        folder, base = self._place(name)
        status = self._lstat(name)
        if status is not None and stat.S_ISREG(status.st_mode) and status.st_size == len(data) \
                and _read(folder, base) == data:
            entry = _entry(data, status)
        else:
            entry = _entry(data, _replace(folder, base, data))
        if inputs is not None:
            entry["inputs"] = inputs
        self._now[name] = entry
        return entry

    def record(self, name: str, entry: dict) -> None:
        """Take ``entry`` of a file another process wrote into this folder into the manifest."""
        self._now[name] = entry

    # --- claiming ---------------------------------------------------------------------------------------

    def _claim(self, subfolders: tuple[str, ...]) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        # The folder itself is the one the user named, link or not; nothing inside it is followed.
        root = self._fds[""] = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            fcntl.flock(root, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FolderError(str(self.path), "another wrqa is writing a report to it; let it finish first") \
                from None
        manifest = self._read_manifest()
        if manifest is None:
            manifest = self._read_legacy_manifest()
        if manifest is None:
            theirs = sorted(name for name in os.listdir(root) if not TEMP.fullmatch(name))
            if theirs:
                more = f" and {len(theirs) - 1} more" if len(theirs) > 1 else ""
                raise FolderError(str(self.path), f"holds files wrqa did not write ({theirs[0]}{more}); "
                                                  "give an empty folder or one wrqa wrote a report to")
            manifest = {}
        self._before = {name: entry for name, entry in manifest.items() if _listable(name, subfolders)}
        # Mark the folder wrqa's before writing anything in it, so a run killed now leaves it claimable.
        self._save(self._before)
        for name in subfolders:
            self._fds[name] = self._open_subfolder(name)
        for folder in self._fds.values():
            _remove_temporaries(folder)

    def _read_manifest(self) -> dict[str, dict] | None:
        """The manifest's entries; ``None`` when there is none. A manifest spoiled by hand claims nothing."""
        try:
            text = _read(self._fds[""], MANIFEST)
        except FileNotFoundError:
            return None
        if text is None:
            raise FolderError(str(self.path / MANIFEST), "is not a file wrqa wrote; remove it")
        try:
            files = json.loads(text).get("files")
        except (ValueError, AttributeError):
            return {}
        return {name: entry for name, entry in files.items() if isinstance(entry, dict)} \
            if isinstance(files, dict) else {}

    def _read_legacy_manifest(self) -> dict[str, dict] | None:
        """The pages an earlier wrqa listed in ``.pages.json``, as entries; ``None`` when it is not there.

        Earlier versions wrote no manifest but always this file, ``{"pages": {"00001.html": [inputs, size,
        mtime_ns]}}``, and nothing else writes that exact shape, so a folder holding it is taken as wrqa's.
        """
        try:
            text = _read(self._fds[""], LEGACY_MANIFEST)
            pages = json.loads(text or "").get("pages")
        except (OSError, ValueError, AttributeError):
            return None
        if not isinstance(pages, dict) or not all(
                _LEGACY_PAGE.fullmatch(name) and isinstance(entry, list) and len(entry) == 3
                and isinstance(entry[0], str) and all(isinstance(n, int) for n in entry[1:])
                for name, entry in pages.items()):
            return None
        # Without a digest of their bytes, the size and time of each page say it is as wrqa left it.
        entries = {f"documents/{name}": {"size": size, "mtime_ns": mtime, "inputs": inputs}
                   for name, (inputs, size, mtime) in pages.items()}
        return {**entries, LEGACY_MANIFEST: _entry(text, self._lstat(LEGACY_MANIFEST))}

    def _open_subfolder(self, name: str) -> int:
        try:
            os.mkdir(name, dir_fd=self._fds[""])
        except FileExistsError:
            pass
        try:
            return os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=self._fds[""])
        except NotADirectoryError:
            what = "a link" if self._lstat(name) and stat.S_ISLNK(self._lstat(name).st_mode) else "not a folder"
            raise FolderError(str(self.path / name), f"is {what}; wrqa writes the pages into a folder of its "
                                                     "own there: remove it") from None

    # --- closing ----------------------------------------------------------------------------------------

    def _unremoved(self) -> dict[str, dict]:
        """Remove the files listed before and not written now; the entries of those that could not be."""
        kept = {}
        for name, entry in self._before.items():
            if name in self._now:
                continue
            try:
                _remove_if_unchanged(*self._place(name), entry)
            except OSError:
                kept[name] = entry  # still ours: the next write tries again
        return kept

    def _save(self, files: dict[str, dict]) -> None:
        if files == self._before and self._lstat(MANIFEST) is not None:
            return  # nothing changed: the manifest is left as it is
        data = json.dumps({"written_by": "wrqa", "files": files}, separators=(",", ":"), sort_keys=True)
        _replace(self._fds[""], MANIFEST, data.encode("utf-8"))

    def _close_fds(self) -> None:
        for folder in self._fds.values():
            os.close(folder)  # the lock on the folder goes with its last descriptor
        self._fds.clear()

    def _place(self, name: str) -> tuple[int, str]:
        folder, _, base = name.rpartition("/")
        return self._fds[folder], base

    def _lstat(self, name: str) -> os.stat_result | None:
        try:
            return os.stat(self._place(name)[1], dir_fd=self._place(name)[0], follow_symlinks=False)
        except FileNotFoundError:
            return None


def _listable(name: str, subfolders: tuple[str, ...]) -> bool:
    """Whether ``name`` may stand in the manifest: a file directly in the folder or in one of ``subfolders``."""
    folder, _, base = name.rpartition("/")
    return (folder in subfolders or folder == "") and base not in ("", ".", "..", MANIFEST) and "\0" not in name


def _entry(data: bytes, status: os.stat_result) -> dict:
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": status.st_size, "mtime_ns": status.st_mtime_ns,
            "ino": status.st_ino}


def _same(entry: dict, status: os.stat_result | None) -> bool:
    """Whether ``status`` is of the file ``entry`` describes (by size, time and, when known, inode)."""
    return status is not None and stat.S_ISREG(status.st_mode) and (entry.get("size"), entry.get("mtime_ns")) == (
        status.st_size, status.st_mtime_ns) and entry.get("ino", status.st_ino) == status.st_ino


def _read(folder: int, name: str) -> bytes | None:
    """The bytes of the regular file ``name`` in ``folder``; ``None`` for a link or anything else."""
    try:
        descriptor = os.open(name, _READ, dir_fd=folder)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return None
        raise
    with open(descriptor, "rb") as handle:
        return handle.read() if stat.S_ISREG(os.fstat(descriptor).st_mode) else None


def _replace(folder: int, name: str, data: bytes) -> os.stat_result:
    """Write ``data`` to a new temporary file in ``folder`` and rename it to ``name``; the file's status."""
    while True:
        temporary = f".{name}.wrqa-tmp-{secrets.token_hex(4)}"
        try:
            descriptor = os.open(temporary, _CREATE, 0o666, dir_fd=folder)
            break
        except FileExistsError:
            continue
    try:
        with open(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            status = os.fstat(descriptor)
        os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder)
        raise
    return status


def _remove_if_unchanged(folder: int, name: str, entry: dict) -> None:
    """Remove ``name`` if it holds the bytes ``entry`` says wrqa wrote (for an old entry: its size and time)."""
    try:
        descriptor = os.open(name, _READ, dir_fd=folder)
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ELOOP):
            return  # gone, or a link put there: not what wrqa wrote
        raise
    with open(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            return
        ours = hashlib.sha256(handle.read()).hexdigest() == entry["sha256"] if "sha256" in entry \
            else _same(entry, status)
    # Removing takes a name, not a descriptor: the same inode there is as close as unlink lets us check.
    now = os.stat(name, dir_fd=folder, follow_symlinks=False)
    if ours and (now.st_dev, now.st_ino) == (status.st_dev, status.st_ino):
        os.unlink(name, dir_fd=folder)


def _remove_temporaries(folder: int) -> None:
    """Remove the temporary files a killed write left in ``folder``: their names say they are wrqa's."""
    for name in os.listdir(folder):
        if TEMP.fullmatch(name):
            status = os.stat(name, dir_fd=folder, follow_symlinks=False)
            if not stat.S_ISDIR(status.st_mode):
                os.unlink(name, dir_fd=folder)
