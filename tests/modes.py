"""Running a command held to file modes, also as root: the tests' way to make a file or folder unreadable."""

from __future__ import annotations

# Root ignores file modes through its capabilities: the child gives them all up and keeps its uid, so the
# kernel holds it to 0o000 / 0o444 / 0o555 like any owner (a child of another uid could not start the venv).
AS_OWNER = """
import ctypes, os
if os.geteuid() == 0:
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    if ctypes.CDLL(None, use_errno=True).capset(header, (ctypes.c_uint32 * 6)()) != 0:
        raise OSError(ctypes.get_errno(), "capset")
"""
