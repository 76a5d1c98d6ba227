"""Local stand-ins for Crossref's REST API and NCBI's E-utilities, written from their
documentation (docs/editing-guide.md, "Checking the evidence", cites the pages): the
paths, the JSON shapes (a work's ``message`` with ``updated-by``; ``message.items`` for
``filter=updates:`` and ``query.bibliographic``; ``esearchresult.idlist``;
``result.uids`` with each summary's ``pubtype``, ``articleids`` and ``references``;
efetch's abstract as text), a 429 with ``Retry-After`` on demand and an answer slower
than the client waits. They bind 127.0.0.1, record every request and call nothing.

The DOIs are under 10.5555, the prefix Crossref keeps for examples: none is a real paper.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

__all__ = ["CANDIDATE_A", "CANDIDATE_B", "CORRECTED", "RETRACTED", "SLOW", "FakeRegistries"]

RETRACTED = "10.5555/spike.2012.retracted"
CORRECTED = "10.5555/spike.2012.corrected"
SLOW = "10.5555/spike.slow"
CANDIDATE_A = "10.5555/kisker.2024.a"
CANDIDATE_B = "10.5555/kisker.2024.b"
RETRACTION_NOTICE = "10.5555/spike.2014.retraction"
CORRECTION_NOTICE = "10.5555/spike.2013.correction"


def _work(doi: str, title: str, venue: str, year: int, family: str, **extra: Any) -> dict[str, Any]:
    return {
        "DOI": doi,
        "type": "journal-article",
        "title": [title],
        "container-title": [venue],
        "author": [{"given": "C.", "family": family, "sequence": "first"}],
        "published": {"date-parts": [[year, 5, 1]]},
        "issued": {"date-parts": [[year, 5, 1]]},
        **extra,
    }


WORKS: dict[str, dict[str, Any]] = {
    RETRACTED: _work(
        RETRACTED,
        "Needle-stimulation pads for neck and back pain: two randomized pilot trials",
        "Evidence-Based Complementary and Alternative Medicine",
        2013,  # the content says 2012: a year mismatch
        "Hohmann",
        abstract=(
            "<jats:p>We randomized 60 participants with chronic neck or back pain."
            " Pain intensity fell after two weeks.</jats:p>"
        ),
        **{
            "updated-by": [
                {
                    "DOI": RETRACTION_NOTICE,
                    "type": "retraction",
                    "label": "Retraction",
                    "source": "retraction-watch",
                    "updated": {"date-parts": [[2014, 3, 2]]},
                    "record-id": "12345",
                }
            ]
        },
    ),
    CORRECTED: _work(
        CORRECTED,
        "Needle-stimulation pads for neck and back pain: two randomized pilot trials",
        "Evidence-Based Complementary and Alternative Medicine",
        2012,
        "Hohmann",
        abstract="<jats:p>In two pilot trials, 42 participants used the pad.</jats:p>",
    ),
    CANDIDATE_A: _work(
        CANDIDATE_A,
        "Relaxation training with an acupressure mat",
        "Applied Psychology: Health and Well-Being",
        2024,
        "Kisker",
    ),
    CANDIDATE_B: _work(
        CANDIDATE_B,
        "Acupressure mats in relaxation training: a second look",
        "Applied Psychology: Health and Well-Being",
        2024,
        "Kisker",
    ),
}
# Notices that update a work (filter=updates:<doi>): each has update-to.
NOTICES: dict[str, list[dict[str, Any]]] = {
    CORRECTED: [
        {
            "DOI": CORRECTION_NOTICE,
            "type": "journal-article",
            "title": ["Correction"],
            "update-to": [
                {
                    "DOI": CORRECTED,
                    "type": "correction",
                    "label": "Correction",
                    "source": "publisher",
                    "updated": {"date-parts": [[2013, 6, 10]]},
                }
            ],
        }
    ]
}
# PubMed: the PMID for each DOI, and its summary.
PMIDS = {RETRACTED: "900001", CORRECTED: "900002"}
SUMMARIES: dict[str, dict[str, Any]] = {
    "900001": {
        "uid": "900001",
        "pubdate": "2013 May",
        "source": "Evid Based Complement Alternat Med",
        "fulljournalname": "Evidence-based complementary and alternative medicine : eCAM",
        "title": "Needle-stimulation pads for neck and back pain: two randomized pilot trials.",
        "authors": [{"name": "Hohmann C", "authtype": "Author", "clusterid": ""}],
        "pubtype": ["Journal Article", "Retracted Publication"],
        "articleids": [
            {"idtype": "pubmed", "idtypen": 1, "value": "900001"},
            {"idtype": "doi", "idtypen": 3, "value": RETRACTED},
        ],
        "references": [
            {"refsource": "Evid Based Complement Alternat Med. 2014", "reftype": "Retraction in"}
        ],
    },
    "900002": {
        "uid": "900002",
        "pubdate": "2012 May",
        "source": "Evid Based Complement Alternat Med",
        "fulljournalname": "Evidence-based complementary and alternative medicine : eCAM",
        "title": "Needle-stimulation pads for neck and back pain: two randomized pilot trials.",
        "authors": [{"name": "Hohmann C", "authtype": "Author", "clusterid": ""}],
        "pubtype": ["Journal Article"],
        "articleids": [{"idtype": "doi", "idtypen": 3, "value": CORRECTED}],
        "references": [{"refsource": "Evid Based 2013", "reftype": "Erratum in", "pmid": ""}],
    },
}


class FakeRegistries(http.server.ThreadingHTTPServer):
    """Crossref at ``crossref_url`` and the E-utilities at ``pubmed_url``."""

    def __init__(self, *, slow_seconds: float = 2.0) -> None:
        self.requests: list[tuple[str, dict[str, list[str]], dict[str, str]]] = []
        """Every request: its path, its query and its headers."""
        self.throttle: set[int] = set()
        """Request numbers (1-based) answered 429 with Retry-After: 0."""
        self.slow_seconds = slow_seconds
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self.crossref_url = f"{self.url}/crossref"
        self.pubmed_url = f"{self.url}/eutils"
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def env(self) -> dict[str, str]:
        """The environment that points spikecontent here."""
        return {
            "SPIKECONTENT_CROSSREF_URL": self.crossref_url,
            "SPIKECONTENT_PUBMED_URL": self.pubmed_url,
            "SPIKECONTENT_CROSSREF_MAILTO": "evidence@spikerest.example",
        }

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, Any, dict[str, str]]:
        one = {k: v[0] for k, v in query.items()}
        if path.startswith("/crossref/works/"):
            doi = unquote(path.removeprefix("/crossref/works/")).lower()
            if doi == SLOW:
                time.sleep(self.slow_seconds)
            work = WORKS.get(doi)
            if work is None:
                return 404, "Resource not found.", {}
            return 200, {"status": "ok", "message-type": "work", "message": work}, {}
        if path == "/crossref/works":
            if "filter" in one:
                doi = one["filter"].removeprefix("updates:").lower()
                items = NOTICES.get(doi, [])
            else:
                items = self.search(one.get("query.bibliographic", ""))
            message = {"total-results": len(items), "items": items}
            return 200, {"status": "ok", "message-type": "work-list", "message": message}, {}
        if path == "/eutils/esearch.fcgi":
            term = one.get("term", "")
            doi = term.removesuffix("[doi]").lower()
            ids = [PMIDS[doi]] if term.endswith("[doi]") and doi in PMIDS else []
            result = {"count": str(len(ids)), "retmax": str(len(ids)), "idlist": ids}
            return 200, {"header": {"type": "esearch"}, "esearchresult": result}, {}
        if path == "/eutils/esummary.fcgi":
            ids = one.get("id", "").split(",")
            found = {i: SUMMARIES[i] for i in ids if i in SUMMARIES}
            return (
                200,
                {"header": {"type": "esummary"}, "result": {"uids": list(found), **found}},
                {},
            )
        if path == "/eutils/efetch.fcgi":
            return 200, "1. Evid Based Complement Alternat Med. 2013.\n\nNo abstract.", {}
        return 404, {"status": "error"}, {}

    @staticmethod
    def search(query: str) -> list[dict[str, Any]]:
        """query.bibliographic: Kisker's two close records, else nothing."""
        if "Kisker" not in query:
            return []
        return [
            {**WORKS[CANDIDATE_A], "score": 41.2},
            {**WORKS[CANDIDATE_B], "score": 39.8},
        ]


class _Handler(http.server.BaseHTTPRequestHandler):
    server: FakeRegistries

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        parsed = urlparse(self.path)
        query = parse_qs(parsed.query)
        with self.server.lock:
            self.server.requests.append((parsed.path, query, dict(self.headers.items())))
            number = len(self.server.requests)
        if number in self.server.throttle:
            self._send(
                429, {"status": "error", "message": "Too many requests"}, {"Retry-After": "0"}
            )
            return
        status, body, headers = self.server.answer(parsed.path, query)
        self._send(status, body, headers)

    def _send(self, status: int, body: Any, headers: dict[str, str]) -> None:
        is_text = isinstance(body, str)
        data = (body if is_text else json.dumps(body)).encode("utf-8")
        try:
            self.send_response(status)
            kind = "text/plain" if is_text else "application/json"
            self.send_header("Content-Type", f"{kind}; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the slow answer)
