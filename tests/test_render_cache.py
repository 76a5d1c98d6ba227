"""The made-once cache the preview and the API share for on-demand renders."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from spikecontent.api.http import error_body
from spikecontent.render_cache import RenderCache


def test_callers_asking_at_once_share_one_render() -> None:
    cache: RenderCache[bytes] = RenderCache()
    started = threading.Event()
    release = threading.Event()

    def render() -> bytes:
        started.set()
        assert release.wait(5)
        return b"%PDF-leaflet"

    with ThreadPoolExecutor(max_workers=6) as pool:
        first = pool.submit(cache.get, "leaflet", render)
        assert started.wait(5)
        others = [pool.submit(cache.get, "leaflet", render) for _ in range(5)]
        release.set()
        values = [first.result(5), *(other.result(5) for other in others)]
    assert values == [b"%PDF-leaflet"] * 6
    assert cache.renders == 1
    assert cache.get("leaflet", lambda: b"other") == b"%PDF-leaflet"


def test_a_failed_render_reaches_its_waiters_and_is_tried_again() -> None:
    cache: RenderCache[bytes] = RenderCache()
    started = threading.Event()
    release = threading.Event()

    def failing() -> bytes:
        started.set()
        assert release.wait(5)
        raise RuntimeError("renderer crashed")

    with ThreadPoolExecutor(max_workers=3) as pool:
        first = pool.submit(cache.get, "leaflet", failing)
        assert started.wait(5)
        waiting = pool.submit(cache.get, "leaflet", failing)
        release.set()
        for future in (first, waiting):
            with pytest.raises(RuntimeError, match="renderer crashed"):
                future.result(5)
    assert cache.renders == 0
    # Not kept: the next request renders again.
    assert cache.get("leaflet", lambda: b"%PDF-again") == b"%PDF-again"
    assert cache.renders == 1


def test_each_key_is_made_once_on_its_own() -> None:
    cache: RenderCache[str] = RenderCache()
    assert cache.get(("pdf", "a"), lambda: "a") == "a"
    assert cache.get(("pdf", "b"), lambda: "b") == "b"
    assert cache.get(("pdf", "a"), lambda: "changed") == "a"
    assert cache.renders == 2


def test_an_error_body_names_a_status_http_has_no_phrase_for() -> None:
    expected = b'{"error":"not found","detail":"no such article"}\n'
    assert error_body(404, "no such article") == expected
    assert b'"error":"error"' in error_body(599, "upstream gave up")
