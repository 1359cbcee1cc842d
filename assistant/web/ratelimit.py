"""A per-client request limit: at most N requests in any 60-second window (a sliding log)."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

WINDOW_S = 60.0
_MAX_CLIENTS = 100_000


class RateLimiter:
    """Admits a client's request while it has made fewer than `per_minute` in the last minute."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def admit(self, client: str) -> int:
        """0 when the request may go ahead (and is counted); else the seconds until it may."""
        if self.per_minute <= 0:
            return 0
        now = self.clock()
        with self._lock:
            times = self._seen.setdefault(client, deque())
            while times and times[0] <= now - WINDOW_S:
                times.popleft()
            if len(times) >= self.per_minute:
                return max(1, math.ceil(times[0] + WINDOW_S - now))
            times.append(now)
            if len(self._seen) > _MAX_CLIENTS:
                self._forget(now)
            return 0

    def _forget(self, now: float) -> None:
        """Drop clients idle for a whole window, so memory stays bounded."""
        for client in [c for c, t in self._seen.items() if not t or t[-1] <= now - WINDOW_S]:
            del self._seen[client]
