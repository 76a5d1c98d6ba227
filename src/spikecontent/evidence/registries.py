"""Crossref's REST API and NCBI's E-utilities, as a good citizen of both.

- Crossref (https://www.crossref.org/documentation/retrieve-metadata/rest-api/): the
  polite pool wants a contact, given as ``mailto:`` in the User-Agent; ``/works/{doi}``
  gives a work with its ``updated-by`` notices (Crossmark and Retraction Watch),
  ``/works?filter=updates:{doi}`` the notices that update it (``update-to``), and
  ``/works?query.bibliographic=...`` candidates with a relevance ``score``.
- NCBI (https://www.ncbi.nlm.nih.gov/books/NBK25497/): every request carries ``tool``
  and ``email``; at most 3 requests a second without an API key (10 with
  ``SPIKECONTENT_NCBI_API_KEY``); ``esearch.fcgi`` and ``esummary.fcgi`` with
  ``retmode=json``, ``efetch.fcgi`` for an abstract as text.

A 429 or a 5xx (or a connection that fails or times out) is retried a few times with
backoff, waiting what ``Retry-After`` asks up to a cap; then :class:`RegistryError`.
Base URLs come from ``SPIKECONTENT_CROSSREF_URL`` and ``SPIKECONTENT_PUBMED_URL``;
plain ``http://`` is accepted only for a loopback address (tests, local mirrors).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import Any, Final
from urllib.parse import quote

import attrs
import httpx

from spikecontent._version import __version__
from spikecontent.diagnostics import SpikecontentError
from spikecontent.links import is_loopback_host

__all__ = [
    "CROSSREF_URL",
    "PUBMED_URL",
    "Answer",
    "Registries",
    "RegistryError",
    "Settings",
]

CROSSREF_URL: Final = "https://api.crossref.org"
PUBMED_URL: Final = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
TOOL: Final = "spikecontent"
ATTEMPTS: Final = 4
MAX_WAIT: Final = 30.0
"""The longest a Retry-After is honoured; a longer one fails the request instead."""
_RETRIED: Final = frozenset({429, 500, 502, 503, 504})


class RegistryError(SpikecontentError):
    """A registry could not be asked, or kept failing after every retry."""


@attrs.frozen(kw_only=True)
class Settings:
    """Where the registries are and who is asking."""

    crossref_url: str = CROSSREF_URL
    pubmed_url: str = PUBMED_URL
    mailto: str | None = None
    """A contact address: Crossref's polite pool and NCBI's ``email``."""
    ncbi_api_key: str | None = None
    timeout: float = 20.0

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None, *, mailto: str | None = None
    ) -> Settings:
        """From ``SPIKECONTENT_CROSSREF_URL``, ``SPIKECONTENT_PUBMED_URL``,
        ``SPIKECONTENT_CROSSREF_MAILTO`` (unless ``mailto`` is given) and
        ``SPIKECONTENT_NCBI_API_KEY``; :class:`RegistryError` for a URL not allowed."""
        env = os.environ if environ is None else environ
        settings = cls(
            crossref_url=_base_url(env.get("SPIKECONTENT_CROSSREF_URL") or CROSSREF_URL),
            pubmed_url=_base_url(env.get("SPIKECONTENT_PUBMED_URL") or PUBMED_URL),
            mailto=mailto or env.get("SPIKECONTENT_CROSSREF_MAILTO") or None,
            ncbi_api_key=env.get("SPIKECONTENT_NCBI_API_KEY") or None,
        )
        if settings.mailto is not None and "@" not in settings.mailto:
            raise RegistryError(f"{settings.mailto!r} is not an email address")
        return settings

    @property
    def user_agent(self) -> str:
        """``spikecontent/<version> (mailto:<contact>)``, as Crossref asks."""
        contact = f" (mailto:{self.mailto})" if self.mailto else ""
        return f"{TOOL}/{__version__}{contact}"

    @property
    def ncbi_interval(self) -> float:
        """Seconds between two E-utilities requests: 3 a second, 10 with a key."""
        return 0.1 if self.ncbi_api_key else 1 / 3


def _base_url(url: str) -> str:
    parsed = httpx.URL(url)
    if parsed.scheme == "https" and parsed.host:
        return url.rstrip("/")
    if parsed.scheme == "http" and is_loopback_host(parsed.host):
        return url.rstrip("/")
    raise RegistryError(f"{url!r}: use an https:// URL (plain http:// only for a loopback address)")


@attrs.frozen(kw_only=True)
class Answer:
    """A registry's decoded answer (None for a 404) and the URL it came from."""

    body: Any
    url: str


class Registries:
    """Both registries through one httpx client (timeouts, retries, NCBI's pace)."""

    def __init__(
        self,
        settings: Settings,
        *,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.backoff = backoff
        self.sleep = sleep
        self.clock = clock
        self._last_ncbi: float | None = None
        timeout = httpx.Timeout(settings.timeout, connect=min(settings.timeout, 5.0))
        self._client = httpx.Client(
            timeout=timeout,
            headers={"User-Agent": settings.user_agent, "Accept": "application/json"},
            follow_redirects=False,
        )

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def __enter__(self) -> Registries:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # Crossref
    def crossref_work(self, doi: str) -> Answer:
        """``/works/{doi}``: the work's message, or None when Crossref has no such DOI."""
        answer = self._get(f"{self.settings.crossref_url}/works/{quote(doi, safe='/')}", {})
        body = answer.body.get("message") if isinstance(answer.body, dict) else None
        return Answer(body=body, url=answer.url)

    def crossref_updates(self, doi: str) -> Answer:
        """``/works?filter=updates:{doi}``: the notices that update the work."""
        params = {"filter": f"updates:{doi}", "rows": "20"}
        return self._items(self._get(f"{self.settings.crossref_url}/works", params))

    def crossref_search(self, bibliographic: str, rows: int = 5) -> Answer:
        """``/works?query.bibliographic=...``: the best matches, best first."""
        params = {"query.bibliographic": bibliographic, "rows": str(rows)}
        return self._items(self._get(f"{self.settings.crossref_url}/works", params))

    @staticmethod
    def _items(answer: Answer) -> Answer:
        message = answer.body.get("message") if isinstance(answer.body, dict) else None
        items = message.get("items") if isinstance(message, dict) else None
        return Answer(body=items if isinstance(items, list) else [], url=answer.url)

    # PubMed
    def pubmed_search(self, term: str, retmax: int = 5) -> Answer:
        """``esearch.fcgi``: the PMIDs matching ``term``."""
        params = {"db": "pubmed", "term": term, "retmode": "json", "retmax": str(retmax)}
        answer = self._ncbi("esearch.fcgi", params)
        result = answer.body.get("esearchresult") if isinstance(answer.body, dict) else None
        ids = result.get("idlist") if isinstance(result, dict) else None
        return Answer(body=[str(i) for i in ids] if isinstance(ids, list) else [], url=answer.url)

    def pubmed_summaries(self, pmids: list[str]) -> Answer:
        """``esummary.fcgi``: each PMID's summary, by PMID."""
        params = {"db": "pubmed", "id": ",".join(pmids), "retmode": "json"}
        answer = self._ncbi("esummary.fcgi", params)
        result = answer.body.get("result") if isinstance(answer.body, dict) else None
        found = {}
        if isinstance(result, dict):
            for uid in result.get("uids", []):
                if isinstance(result.get(str(uid)), dict):
                    found[str(uid)] = result[str(uid)]
        return Answer(body=found, url=answer.url)

    def pubmed_abstract(self, pmid: str) -> Answer:
        """``efetch.fcgi``: the abstract as plain text."""
        params = {"db": "pubmed", "id": pmid, "rettype": "abstract", "retmode": "text"}
        return self._ncbi("efetch.fcgi", params, text=True)

    def _ncbi(self, tool: str, params: dict[str, str], *, text: bool = False) -> Answer:
        params = {**params, "tool": TOOL}
        if self.settings.mailto:
            params["email"] = self.settings.mailto
        if self.settings.ncbi_api_key:
            params["api_key"] = self.settings.ncbi_api_key
        return self._get(f"{self.settings.pubmed_url}/{tool}", params, text=text, ncbi=True)

    def _pace(self) -> None:
        now = self.clock()
        if self._last_ncbi is not None:
            wait = self._last_ncbi + self.settings.ncbi_interval - now
            if wait > 0:
                self.sleep(wait)
                now += wait
        self._last_ncbi = now

    def _get(
        self, url: str, params: dict[str, str], *, text: bool = False, ncbi: bool = False
    ) -> Answer:
        shown = _shown(url, params)
        delay = self.backoff
        problem = ""
        for attempt in range(1, ATTEMPTS + 1):
            if ncbi:
                self._pace()
            try:
                response = self._client.get(url, params=params)
            except httpx.TimeoutException:
                problem = f"no answer within {self.settings.timeout:g} s"
            except httpx.TransportError as error:
                problem = type(error).__name__
            else:
                status = response.status_code
                if status == 404:
                    return Answer(body=None, url=shown)
                if status < 300:
                    return Answer(body=response.text if text else _json(response), url=shown)
                if status not in _RETRIED:
                    raise RegistryError(f"{shown}: {status} {response.text[:200]}")
                problem = str(status)
                asked = _retry_after(response)
                if asked > MAX_WAIT:
                    raise RegistryError(f"{shown}: {status}, asked to wait {asked:g} s")
                delay = max(delay, asked)
            if attempt < ATTEMPTS:
                self.sleep(delay)
                delay *= 2
        raise RegistryError(f"{shown}: still failing after {ATTEMPTS} attempts ({problem})")


def _shown(url: str, params: dict[str, str]) -> str:
    """The URL as a source to cite: without the API key."""
    public = {k: v for k, v in params.items() if k != "api_key"}
    return str(httpx.URL(url, params=public))


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        raise RegistryError(f"{response.request.url}: not JSON") from None


def _retry_after(response: httpx.Response) -> float:
    try:
        return max(0.0, float(response.headers.get("retry-after", "")))
    except ValueError:
        return 0.0
