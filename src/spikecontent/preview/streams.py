"""The ``/events`` streams: a bounded number, each woken by a new version or its page
leaving.

Each stream holds a thread of the server for as long as its page is open, so without a
bound anything that can reach the preview could open streams (and threads) without end:
300 made 303 threads. A stream also notices at once when its page goes (the socket reads
as closed), not at the next heartbeat, so a closed tab frees its slot right away.
"""

from __future__ import annotations

import contextlib
import enum
import select
import socket
import threading

__all__ = ["EventStreams", "Stream", "Woken"]


class Woken(enum.Enum):
    """Why :meth:`Stream.wait` returned."""

    CHANGED = "changed"
    """:meth:`EventStreams.wake_all` was called: a new version, or the server stopping."""
    CLOSED = "closed"
    """The page went away."""
    TIMEOUT = "timeout"
    """Neither, for the time given."""


class Stream:
    """One open stream's slot, with a socket pair that :meth:`EventStreams.wake_all`
    writes to, so one ``select`` waits for a change and for the page at once."""

    def __init__(self) -> None:
        self._read, self._write = socket.socketpair()
        # A wake that finds the pair full needs to add nothing: one is already pending.
        self._write.setblocking(False)

    def wait(self, connection: socket.socket, timeout: float) -> Woken:
        """Wait for a wake, for ``connection`` to close, or ``timeout`` seconds."""
        ready, _, _ = select.select([connection, self._read], [], [], timeout)
        if connection in ready and _closed(connection):
            return Woken.CLOSED
        if self._read in ready:
            self._read.recv(4096)  # every wake so far, taken together
            return Woken.CHANGED
        return Woken.TIMEOUT

    def wake(self) -> None:
        """Make :meth:`wait` return (now, or at its next call)."""
        # Full: a wake is pending already. Closed: the stream has ended.
        with contextlib.suppress(OSError):
            self._write.send(b"\0")

    def close(self) -> None:
        """Release the socket pair."""
        self._read.close()
        self._write.close()


class EventStreams:
    """At most ``limit`` open streams, and a way to wake them all."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._open: set[Stream] = set()

    @property
    def count(self) -> int:
        """How many streams are open."""
        with self._lock:
            return len(self._open)

    def open(self) -> Stream | None:
        """A slot for a new stream, or ``None`` when all ``limit`` are taken."""
        with self._lock:
            if len(self._open) >= self.limit:
                return None
            stream = Stream()
            self._open.add(stream)
            return stream

    def close(self, stream: Stream) -> None:
        """Free ``stream``'s slot."""
        with self._lock:
            self._open.discard(stream)
        stream.close()

    def wake_all(self) -> None:
        """Wake every open stream (a new version, or the server stopping)."""
        with self._lock:
            streams = list(self._open)
        for stream in streams:
            stream.wake()


def _closed(connection: socket.socket) -> bool:
    # Readable: the page closed (an empty read) or sent bytes, which an event stream's
    # client never does and which are dropped.
    try:
        return not connection.recv(4096, socket.MSG_DONTWAIT)
    except BlockingIOError:
        return False  # nothing to read after all
    except OSError:  # reset by the peer, among others
        return True
