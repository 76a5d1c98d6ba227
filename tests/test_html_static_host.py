"""The web pages on a static host: Debian's nginx with the site docs/deployment.md shows
(the html output as the root, no rewrite rule) serves every page at its canonical URL,
and the 404 page the writer makes for any other address."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from lxml import etree

from tests.conftest import SLUG, Project
from tests.servers import NGINX, PagesNginx

pytestmark = pytest.mark.skipif(
    not NGINX.exists(), reason="Debian's nginx is not installed (./run.sh test installs it)"
)

BASE = "https://www.spikerest.example/"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Project, str]]:
    project = Project(tmp_path_factory.mktemp("static")).with_article("second-article")
    assert project.export(only=["html", "rss"]).ok
    with PagesNginx(project.out, project.root / "nginx") as url:
        yield project, url


def _path(url: str) -> str:
    assert url.startswith(BASE)
    return "/" + url.removeprefix(BASE)


def test_every_canonical_url_answers_200_with_its_page(site: tuple[Project, str]) -> None:
    project, served = site
    html = project.out / "html"
    locs = etree.parse(str(html / "sitemap.xml")).xpath("//s:loc/text()", namespaces=SITEMAP_NS)
    assert locs == [BASE, f"{BASE}{SLUG}/", f"{BASE}second-article/"]
    for loc in locs:
        answer = httpx.get(f"{served}{_path(loc)}")
        assert answer.status_code == 200, loc
        assert answer.headers["content-type"].startswith("text/html")
        folder = urlsplit(loc).path.strip("/")
        assert answer.content == (html / folder / "index.html").read_bytes()
        # The page names that URL as its own.
        assert f'<link rel="canonical" href="{loc}">'.encode() in answer.content


def test_the_site_files_and_the_linked_feeds_are_served(site: tuple[Project, str]) -> None:
    project, served = site
    for name in ("robots.txt", "sitemap.xml"):
        answer = httpx.get(f"{served}/{name}")
        assert answer.status_code == 200
        assert answer.content == (project.out / "html" / name).read_bytes()
    page = (project.out / "html" / SLUG / "index.html").read_text("utf-8")
    feeds = [
        "site.rss.xml",
        "site.atom.xml",
        f"articles/{SLUG}.rss.xml",
        f"articles/{SLUG}.atom.xml",
    ]
    for feed in feeds:
        assert f'href="{BASE}feeds/{feed}"' in page
        answer = httpx.get(f"{served}/feeds/{feed}")
        assert answer.status_code == 200, feed
        assert answer.content == (project.out / "feeds" / feed).read_bytes()


def test_unknown_paths_get_the_writers_404_page(site: tuple[Project, str]) -> None:
    project, served = site
    not_found = (project.out / "html" / "404.html").read_bytes()
    for path in ("/no-such-article/", "/no-such-article", f"/{SLUG}/index.htm", "/.dist"):
        answer = httpx.get(f"{served}{path}")
        assert answer.status_code == 404, path
        assert answer.content == not_found, path
    assert b'<meta name="robots" content="noindex">' in not_found


def test_a_page_without_its_slash_is_redirected_to_its_canonical_url(
    site: tuple[Project, str],
) -> None:
    _, served = site
    answer = httpx.get(f"{served}/{SLUG}")
    assert answer.status_code == 301
    assert urlsplit(answer.headers["location"]).path == f"/{SLUG}/"
