"""Prometheus metrics of the API (``prometheus-client``), read at ``/metrics``.

With ``serve --workers N``, ``serve`` points ``PROMETHEUS_MULTIPROC_DIR`` at a fresh
folder before any worker starts; every worker writes its values there, and ``/metrics``,
whichever worker answers, sums them (``MultiProcessCollector``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any, Final

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_client.registry import Collector

__all__ = [
    "CONTENT_TYPE",
    "MULTIPROCESS_VARIABLE",
    "content_loaded",
    "exposition",
    "process_ends",
    "reload_failed",
    "replayed",
    "request_done",
]

MULTIPROCESS_VARIABLE: Final = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE: Final = "text/plain; version=0.0.4"
"""Prometheus's text format 0.0.4, which every Prometheus reads."""

_REQUESTS = Counter(
    "spikecontent_http_requests",
    "HTTP requests answered, by route (the path template), method and status",
    ["route", "method", "status"],
)
_LATENCY = Histogram(
    "spikecontent_http_request_duration_seconds",
    "Seconds from a request's arrival to the last byte of its answer, by route",
    ["route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
_VERSION = Gauge(
    "spikecontent_content_version_info",
    "The content version served (1 for the current one, 0 for one served before)",
    ["version"],
    multiprocess_mode="livemax",
)
_LOADED = Gauge(
    "spikecontent_snapshot_loaded_timestamp_seconds",
    "When the served snapshot was built (Unix time)",
    multiprocess_mode="livemax",
)
_DEGRADED = Gauge(
    "spikecontent_content_degraded",
    "1 while the last edit of the content is invalid (the last good content is served)",
    multiprocess_mode="livemax",
)
_RELOAD_FAILURES = Counter(
    "spikecontent_reload_failures",
    "Reloads whose content was invalid (the last good content kept serving)",
)
_REPLAY = Counter(
    "spikecontent_replay",
    "Public GET answers replayed from memory (hit) or made by the app (miss)",
    ["result"],
)


_state: dict[str, Any] = {"loaded": 0.0, "version": ""}
"""When the served snapshot was built (Unix time, 0 before the first), and its version."""


def request_done(route: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request."""
    _REQUESTS.labels(route, method, str(status)).inc()
    _LATENCY.labels(route).observe(seconds)


def content_loaded(version: str) -> None:
    """A snapshot of ``version`` is served."""
    if version != _state["version"]:
        if _state["version"]:
            _VERSION.labels(_state["version"]).set(0)
        _VERSION.labels(version).set(1)
        _state.update(version=version, loaded=time.time())
        _LOADED.set(_state["loaded"])
    _DEGRADED.set(0)


def reload_failed() -> None:
    """A reload found the content invalid."""
    _RELOAD_FAILURES.inc()
    _DEGRADED.set(1)


def replayed(hit: bool) -> None:
    """The replay cache answered (``hit``) or passed the request on."""
    _REPLAY.labels("hit" if hit else "miss").inc()


class _Age(Collector):
    """The served snapshot's age, computed when scraped (by the process scraped)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "spikecontent_snapshot_age_seconds",
            "Seconds since the served snapshot was built (in the process that answered)",
        )
        if _state["loaded"]:
            family.add_metric([], time.time() - _state["loaded"])
        yield family


def process_ends() -> None:
    """Drop this process's live gauges from the shared folder (a worker stopping)."""
    if os.environ.get(MULTIPROCESS_VARIABLE):
        mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


def exposition() -> bytes:
    """Every metric in Prometheus's text format."""
    if os.environ.get(MULTIPROCESS_VARIABLE):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    age = CollectorRegistry()
    age.register(_Age())
    return generate_latest(registry) + generate_latest(age)
