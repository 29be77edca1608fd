"""The one handler of Ctrl-C and SIGTERM: a stop request sets an event the running work watches.

cron, systemd and kill ask a process to stop with SIGTERM, which must stop it as Ctrl-C does. The first
signal sets the event and calls ``on_stop`` with the signal's name; a second one aborts (raises
``KeyboardInterrupt``) or, for the daemon, which is already on its way out, is ignored. The handlers in
place before are put back after the block.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def stopping(on_stop: Callable[[str], None], *, event: threading.Event | None = None,
             abort_on_second: bool = True) -> Iterator[threading.Event]:
    """``event`` (or a new one), set by the first SIGINT or SIGTERM while the block runs."""
    stop = event or threading.Event()

    def handle(signum, _frame) -> None:
        if stop.is_set():
            if abort_on_second:
                raise KeyboardInterrupt
            return
        stop.set()
        on_stop(signal.Signals(signum).name)

    previous = {signum: signal.signal(signum, handle) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
