"""Ctrl-C for commands that must stop cleanly wherever they are.

By default Ctrl-C raises KeyboardInterrupt, which unwinds through whatever
code is running: a library may swallow it, or half-import a module and fail
later with an unrelated error. Within ``exit_on_interrupt(line)`` (the
command line does this for a command that sets ``INTERRUPTED``) it stops at
once instead: the cleanups registered with ``cleanup_on_interrupt`` run
(newest first), the line is printed, and the process exits with 130. A
``deferred()`` section (a rename that publishes a result) is never cut in
half: an interrupt that arrives during it takes effect right after it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from typing import Callable, Iterator

EXIT_INTERRUPTED = 130


class _State:
    message: str | None = None  # None: Ctrl-C raises KeyboardInterrupt as usual
    after_publishing: str | None = None
    cleanups: list[Callable[[], None]] = []
    deferring = 0
    pending = False


@contextlib.contextmanager
def exit_on_interrupt(message: str, after_publishing: str | None = None) -> Iterator[None]:
    """Within the block, Ctrl-C prints ``message`` (``after_publishing`` once
    ``published()`` was called) and exits 130. Signals reach the main thread
    only; elsewhere Ctrl-C keeps its usual meaning."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        yield  # ignored (a background job of a shell) stays ignored, as Python itself keeps it
        return
    previous = signal.signal(signal.SIGINT, _handler)
    saved = _State.message, _State.after_publishing
    _State.message, _State.after_publishing = message, after_publishing or message
    _State.pending = False
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        _State.message, _State.after_publishing = saved


def published() -> None:
    """The result is in place: an interrupt from now on says so."""
    if _State.message is not None:
        _State.message = _State.after_publishing


@contextlib.contextmanager
def cleanup_on_interrupt(cleanup: Callable[[], None]) -> Iterator[None]:
    _State.cleanups.append(cleanup)
    try:
        yield
    finally:
        _State.cleanups.remove(cleanup)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    _State.deferring += 1
    try:
        yield
    finally:
        _State.deferring -= 1
    if _State.deferring == 0 and _State.pending:
        _stop()


def _handler(signum, frame) -> None:
    if _State.message is None:
        raise KeyboardInterrupt
    if _State.deferring:
        _State.pending = True
        return
    _stop()


def _stop() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C does not cut the cleanup short
    for cleanup in reversed(_State.cleanups):
        with contextlib.suppress(Exception):
            cleanup()
    os.write(2, f"{_State.message}\n".encode("utf-8"))
    os._exit(EXIT_INTERRUPTED)  # no unwinding through whatever code was running
