"""The ``html`` writer: pages a browser and an HTML validator accept as they are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import html5lib
import pytest
from PIL import Image as PillowImage

from tests.conftest import ARTICLE, SLUG, Project

XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    project = Project(tmp_path_factory.mktemp("html"))
    return (project.exported("html", only=["html"]) / SLUG / "index.html").read_bytes()


def parsed(data: bytes) -> object:
    parser = html5lib.HTMLParser(strict=True)  # raises on the first parse error
    return parser.parse(data)


def elements(tree: object, tag: str) -> list[object]:
    return list(tree.iter(f"{XHTML}{tag}"))  # type: ignore[attr-defined]


def test_the_page_parses_without_a_single_html_error(page: bytes) -> None:
    parsed(page)


def test_one_h1_landmarks_and_table_header_scopes(page: bytes) -> None:
    tree = parsed(page)
    assert len(elements(tree, "h1")) == 1
    roles = {e.get("role") for tag in ("header", "main", "footer") for e in elements(tree, tag)}
    assert {"banner", "main", "contentinfo"} <= roles
    assert all(th.get("scope") == "col" for th in elements(tree, "th"))
    assert all(img.get("alt") for img in elements(tree, "img"))
    assert tree.find(f".//{XHTML}html") is None  # the root is html itself
    assert tree.get("lang") == "en-US"  # type: ignore[attr-defined]


def test_the_page_carries_the_honest_parts(page: bytes) -> None:
    text = page.decode()
    assert "2012, pair of randomized pilot studies (pilot), total n = 42." in text
    # Each study's source, as the content gives it.
    assert (
        '<p class="source">Hohmann et al. Evidence-Based Complementary and Alternative'
        " Medicine. 2012.</p>"
    ) in text
    assert 'role="note"' in text
    assert "not medical devices" in text
    # The preview's field markers are not published; the only script is the JSON-LD.
    assert "data-field" not in text
    assert "data-entry" not in text
    assert text.count("<script") == text.count('<script type="application/ld+json">') == 1


def test_the_page_says_who_wrote_it_and_where_buyers_review_the_mat(page: bytes) -> None:
    """The seed's last lines: the offer's "Read real buyer reviews" and "Who wrote this:
    Reviewed and updated July 4, 2026. See how we test and our story."."""
    tree = parsed(page)
    [byline] = [s for s in elements(tree, "section") if s.get("class") == "byline"]
    words = " ".join("".join(byline.itertext()).split())  # type: ignore[attr-defined]
    assert words == (
        "Who wrote this Reviewed and updated July 4, 2026. See how we test and our story."
    )
    links = {a.get("href") for a in byline.iter(f"{XHTML}a")}  # type: ignore[attr-defined]
    assert links == {
        "https://www.spikerest.example/how-we-test",
        "https://www.spikerest.example/our-story",
    }
    [offer] = [p for p in elements(tree, "p") if p.get("class") == "offer"]
    reviews = [a for a in offer.iter(f"{XHTML}a") if a.text == "Read real buyer reviews"]  # type: ignore[attr-defined]
    assert [a.get("href") for a in reviews] == ["https://www.spikerest.example/reviews"]


def test_every_field_marker_names_a_real_place(tmp_path: Path) -> None:
    # A marker that points nowhere would send an editor to the wrong line.
    import re

    import spikecontent
    from spikecontent.model.walk import walk

    project = Project(tmp_path).option("html", "field_markers = true")
    data = (project.exported("html", only=["html"]) / SLUG / "index.html").read_text("utf-8")
    library = spikecontent.load(project.content)
    fields = {
        spikecontent.diagnostics.format_path(path)
        for path, value in walk(library.article(SLUG))
        if isinstance(value, str | spikecontent.RichText)
    }
    article_fields = set(re.findall(r'<(?!li)[a-z0-9]+ data-field="([^"]+)"', data))
    entity_only = {"applies_to", "advice", "text"} | {
        f for f in article_fields if f.startswith("limitations")
    }
    assert article_fields - entity_only <= fields


def test_the_lead_picture_is_shown_from_where_the_site_publishes_it(tmp_path: Path) -> None:
    from tests.pictures import with_merchant_listing

    project = Project(tmp_path)
    with_merchant_listing(project.content)
    assert project.export(only=["html", "media"]).ok
    data = (project.out / "html" / SLUG / "index.html").read_bytes()
    tree = parsed(data)
    (img,) = elements(tree, "img")
    media_url = "https://media.spikerest.example/content/"
    # The widest variant in the picture's own format (here the picture's own 1200 pixels).
    assert img.get("src") == f"{media_url}images/lead-1200w.jpg"  # type: ignore[attr-defined]
    # Measured, so the browser reserves its place; described, for those who cannot see it.
    assert (img.get("width"), img.get("height")) == ("1200", "675")  # type: ignore[attr-defined]
    assert img.get("alt") == "A mat on a wooden floor beside a pillow"  # type: ignore[attr-defined]
    # The picture it names is the one the media writer published there.
    published = project.out / "media" / img.get("src").removeprefix(media_url)  # type: ignore[attr-defined]
    assert published.read_bytes() == (project.content / "images" / "lead.jpg").read_bytes()
    # In a <picture>: WebP first, then the picture's own format, each at every width.
    (source,) = elements(tree, "source")
    assert source.get("type") == "image/webp"  # type: ignore[attr-defined]
    candidates = {
        "image/webp": source.get("srcset"),  # type: ignore[attr-defined]
        "image/jpeg": img.get("srcset"),  # type: ignore[attr-defined]
    }
    assert img.get("sizes") == source.get("sizes")  # type: ignore[attr-defined]
    assert img.get("sizes").startswith("(min-width: 44rem)")  # type: ignore[attr-defined]
    for kind, srcset in candidates.items():
        named = [candidate.split() for candidate in srcset.split(", ")]
        assert [width for _url, width in named] == ["480w", "960w", "1200w"]
        for url, width in named:
            # Each candidate is a file the media writer published, of the width it says.
            with PillowImage.open(project.out / "media" / url.removeprefix(media_url)) as file:
                assert PillowImage.MIME[str(file.format)] == kind
                assert f"{file.width}w" == width
                assert file.width / file.height == pytest.approx(1200 / 675, rel=0.01)


def test_without_a_lead_picture_the_page_shows_none(page: bytes) -> None:
    assert elements(parsed(page), "img") == []


SITEMAP_SCHEMA = Path(__file__).parent / "fixtures" / "sitemap.xsd"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _valid(path: Path, schema: Path) -> Any:
    from lxml import etree

    document = etree.parse(str(path))
    etree.XMLSchema(etree.parse(str(schema))).assertValid(document)
    return document


def _sitemap(project: Project) -> object:
    return _valid(project.out / "html" / "sitemap.xml", SITEMAP_SCHEMA)


def test_the_sitemap_lists_each_published_page_as_the_page_names_itself(tmp_path: Path) -> None:
    project = Project(tmp_path).with_article("second-article", title="Second")
    project.with_article("draft-article", title="Draft")
    project.edit("articles/draft-article.yaml", "status: published", "status: draft")
    # The profile exports drafts (for review), yet the sitemap lists what is live only.
    project.profile("html", 'writer = "html"\noutput = "html"\ndrafts = true\n')
    assert project.export(only=["html"]).ok
    assert (project.out / "html" / "draft-article" / "index.html").exists()
    document = _sitemap(project)  # valid against the sitemaps.org schema
    listed = {
        url.findtext(f"{SITEMAP_NS}loc"): url.findtext(f"{SITEMAP_NS}lastmod")
        for url in document.iter(f"{SITEMAP_NS}url")  # type: ignore[attr-defined]
    }
    home = parsed((project.out / "html" / "index.html").read_bytes())
    (link,) = (e for e in elements(home, "link") if e.get("rel") == "canonical")  # type: ignore[attr-defined]
    # The home page first, as of its newest article.
    pages = {link.get("href"): "2026-07-04"}  # type: ignore[attr-defined]
    for slug in (SLUG, "second-article"):
        tree = parsed((project.out / "html" / slug / "index.html").read_bytes())
        (canonical,) = (e for e in elements(tree, "link") if e.get("rel") == "canonical")  # type: ignore[attr-defined]
        updated = tree.find(f".//{XHTML}p[@class='meta']/{XHTML}time")  # type: ignore[attr-defined]
        pages[canonical.get("href")] = updated.get("datetime")  # type: ignore[attr-defined]
    # Each URL is the page's canonical link; each lastmod the date the page shows.
    assert listed == pages
    assert not any("draft-article" in loc for loc in listed)
    # Google ignores these two hints; none is written.
    data = (project.out / "html" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<priority>" not in data
    assert "<changefreq>" not in data


SITEINDEX_SCHEMA = Path(__file__).parent / "fixtures" / "siteindex.xsd"


def _canonical(project: Project, slug: str) -> str:
    tree = parsed((project.out / "html" / slug / "index.html").read_bytes())
    (link,) = (e for e in elements(tree, "link") if e.get("rel") == "canonical")  # type: ignore[attr-defined]
    return str(link.get("href"))  # type: ignore[attr-defined]


def test_past_the_protocols_limit_the_sitemap_is_an_index_of_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spikecontent.writers.html import sitemap

    monkeypatch.setattr(sitemap, "MAX_URLS", 1)  # 50,000 pages would take minutes here
    second = "articles/second-article.yaml"
    project = Project(tmp_path).with_article("second-article", title="Second")
    project.edit(second, "modified: 2026-07-04", "modified: 2026-08-01")
    assert project.export(only=["html"]).ok
    html = project.out / "html"
    index = _valid(html / "sitemap.xml", SITEINDEX_SCHEMA)  # a sitemap index, valid
    named = {
        entry.findtext(f"{SITEMAP_NS}loc"): entry.findtext(f"{SITEMAP_NS}lastmod")
        for entry in index.iter(f"{SITEMAP_NS}sitemap")
    }
    assert sorted(named) == [  # the home page and two articles, one a part
        "https://www.spikerest.example/sitemap-1.xml",
        "https://www.spikerest.example/sitemap-2.xml",
        "https://www.spikerest.example/sitemap-3.xml",
    ]
    part_of: dict[str, str] = {}
    for loc, lastmod in named.items():
        name = loc.rsplit("/", 1)[1]
        part = _valid(html / name, SITEMAP_SCHEMA)  # each part a sitemap, valid
        urls = {
            url.findtext(f"{SITEMAP_NS}loc"): url.findtext(f"{SITEMAP_NS}lastmod")
            for url in part.iter(f"{SITEMAP_NS}url")
        }
        assert len(urls) == 1  # the limit
        assert lastmod == max(urls.values())  # the newest of its pages
        part_of.update(dict.fromkeys(urls, f"html/{name}"))
    home = "https://www.spikerest.example/"
    pages = {_canonical(project, slug): slug for slug in (SLUG, "second-article")}
    assert set(part_of) == {home, *pages}

    # One page changed: its part, the home page's (dated by its newest article) and the
    # index are written again, the other part is not.
    project.edit(second, "modified: 2026-08-01", "modified: 2026-08-02")
    again = project.export(only=["html"])
    written = sorted(path for path in again.written if "sitemap" in path)
    changed = next(loc for loc, slug in pages.items() if slug == "second-article")
    assert written == sorted([part_of[changed], part_of[home], "html/sitemap.xml"])

    # Back within the limit: one sitemap of the pages again, and the parts are gone.
    monkeypatch.setattr(sitemap, "MAX_URLS", 2)
    project.edit(second, "status: published", "status: draft")
    third = project.export(only=["html"])
    assert {"html/sitemap-1.xml", "html/sitemap-2.xml", "html/sitemap-3.xml"} <= set(third.pruned)
    assert not list(html.glob("sitemap-*.xml"))
    single = _valid(html / "sitemap.xml", SITEMAP_SCHEMA)
    listed = [url.findtext(f"{SITEMAP_NS}loc") for url in single.iter(f"{SITEMAP_NS}url")]
    assert listed == [home, _canonical(project, SLUG)]


def test_a_sitemap_is_split_by_size_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """50 MB a file as well as 50,000 URLs: here a file takes one page's entry, not two."""
    from spikecontent.writers.html import sitemap

    monkeypatch.setattr(sitemap, "MAX_BYTES", 400)
    project = Project(tmp_path).with_article("second-article", title="Second")
    assert project.export(only=["html"]).ok
    html = project.out / "html"
    index = _valid(html / "sitemap.xml", SITEINDEX_SCHEMA)
    assert len(list(index.iter(f"{SITEMAP_NS}sitemap"))) == 3  # the home page and two
    for name in ("sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"):
        part = _valid(html / name, SITEMAP_SCHEMA)
        assert len(list(part.iter(f"{SITEMAP_NS}url"))) == 1
        assert (html / name).stat().st_size <= 400


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The seed with its lead picture, its publication date and a second, older article,
    exported to the web pages, the JSON-LD and the feeds."""
    from tests.pictures import with_merchant_listing

    project = Project(tmp_path_factory.mktemp("shop"))
    with_merchant_listing(project.content)
    project.with_article("older-article", title="An older article")
    older = "articles/older-article.yaml"
    project.edit(older, "published: 2025-11-02", "published: 2025-06-01")
    project.edit(older, "modified: 2026-07-04", "modified: 2025-06-02")
    project.edit(older, "last_reviewed: 2026-07-04", "last_reviewed: 2025-06-02")
    report = project.export(only=["html", "jsonld", "rss"])
    assert report.ok, report.failed
    return project


def _extracted(page: bytes, url: str) -> dict[str, Any]:
    import extruct

    found: dict[str, Any] = extruct.extract(
        page.decode(), base_url=url, syntaxes=["json-ld", "opengraph"], uniform=False
    )
    return found


def test_the_page_carries_the_jsonld_channels_graph_as_extruct_reads_it(shop: Project) -> None:
    import json

    url = f"https://www.spikerest.example/{SLUG}/"
    page = (shop.out / "html" / SLUG / "index.html").read_bytes()
    (graph,) = _extracted(page, url)["json-ld"]
    channel = json.loads((shop.out / "jsonld" / f"{SLUG}.jsonld").read_text("utf-8"))
    assert graph == channel
    # Escaped as the jsonld writer escapes it: the same element as its snippet.
    snippet = (shop.out / "jsonld" / f"{SLUG}.jsonld.html").read_text("utf-8").strip()
    assert snippet in page.decode()


def test_open_graph_and_the_twitter_card_say_what_the_content_says(shop: Project) -> None:
    url = f"https://www.spikerest.example/{SLUG}/"
    page = (shop.out / "html" / SLUG / "index.html").read_bytes()
    (graph,) = _extracted(page, url)["opengraph"]
    properties = dict(graph["properties"])
    media_url = "https://media.spikerest.example/content/"
    assert properties == {
        "og:type": "article",
        "og:title": "Acupressure Mat Benefits: What the Research Really Says",
        "og:description": properties["og:description"],
        "og:url": url,
        "og:site_name": "SpikeRest",
        "og:locale": "en_US",
        "og:image": f"{media_url}images/lead-1200w.jpg",
        "og:image:width": "1200",
        "og:image:height": "675",
        "og:image:alt": "A mat on a wooden floor beside a pillow",
        "article:published_time": "2025-11-02T00:00:00+00:00",
        "article:modified_time": "2026-07-04T00:00:00+00:00",
    }
    assert properties["og:description"].startswith("What people genuinely report")
    tree = parsed(page)
    named = {m.get("name"): m.get("content") for m in elements(tree, "meta") if m.get("name")}  # type: ignore[attr-defined]
    assert named["twitter:card"] == "summary_large_image"
    assert named["twitter:image:alt"] == "A mat on a wooden floor beside a pillow"
    assert "robots" not in named  # a published page is for search engines


def test_without_a_picture_there_is_no_image_and_no_card(page: bytes) -> None:
    text = page.decode()
    assert "og:image" not in text
    assert "twitter:card" not in text
    assert "article:published_time" not in text  # the seed has no publication date


def test_the_head_links_its_canonical_url_and_its_feeds_which_exist(shop: Project) -> None:
    tree = parsed((shop.out / "html" / SLUG / "index.html").read_bytes())
    links = [(e.get("rel"), e.get("type"), e.get("href")) for e in elements(tree, "link")]  # type: ignore[attr-defined]
    base = "https://www.spikerest.example/"
    assert ("canonical", None, f"{base}{SLUG}/") in links
    feeds = [(kind, href) for rel, kind, href in links if rel == "alternate"]
    assert feeds == [
        ("application/rss+xml", f"{base}feeds/site.rss.xml"),
        ("application/atom+xml", f"{base}feeds/site.atom.xml"),
        ("application/rss+xml", f"{base}feeds/articles/{SLUG}.rss.xml"),
        ("application/atom+xml", f"{base}feeds/articles/{SLUG}.atom.xml"),
    ]
    # Each is a file the rss profile wrote, where the site serves its folder (/feeds/).
    for _, href in feeds:
        assert (shop.out / "feeds" / href.removeprefix(f"{base}feeds/")).is_file()


def test_a_draft_page_is_kept_out_of_search_results(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.edit(ARTICLE, "status: published", "status: draft")
    project.profile("html", 'writer = "html"\noutput = "html"\ndrafts = true\n')
    assert project.export(only=["html"]).ok
    tree = parsed((project.out / "html" / SLUG / "index.html").read_bytes())
    robots = [m.get("content") for m in elements(tree, "meta") if m.get("name") == "robots"]  # type: ignore[attr-defined]
    assert robots == ["noindex"]


def test_the_css_is_never_html_escaped(page: bytes) -> None:
    assert b'"Segoe UI"' in page
    assert b"&#34;" not in page.split(b"</style>")[0]


def test_robots_txt_names_the_sitemap(shop: Project) -> None:
    text = (shop.out / "html" / "robots.txt").read_text("utf-8")
    assert text == (
        "User-agent: *\nAllow: /\n\nSitemap: https://www.spikerest.example/sitemap.xml\n"
    )


def test_the_home_page_lists_the_published_articles_newest_first(shop: Project) -> None:
    tree = parsed((shop.out / "html" / "index.html").read_bytes())
    items = list(tree.iter(f"{XHTML}li"))  # type: ignore[attr-defined]
    listed = [
        (
            item.find(f".//{XHTML}a").get("href"),
            item.find(f".//{XHTML}a").text,
            item.find(f".//{XHTML}p[@class='description']").text,
            item.find(f".//{XHTML}time").get("datetime"),
        )
        for item in items
    ]
    base = "https://www.spikerest.example/"
    assert [(href, title, day) for href, title, _, day in listed] == [
        (f"{base}{SLUG}/", "Acupressure Mat Benefits: What the Research Really Says", "2025-11-02"),
        (f"{base}older-article/", "An older article", "2025-06-01"),
    ]
    assert all(
        description.startswith("What people genuinely report") for *_, description, _ in listed
    )
    (canonical,) = (e for e in elements(tree, "link") if e.get("rel") == "canonical")  # type: ignore[attr-defined]
    assert canonical.get("href") == base  # type: ignore[attr-defined]
    # Every page's header links the home page.
    for slug in (SLUG, "older-article"):
        page = parsed((shop.out / "html" / slug / "index.html").read_bytes())
        header = next(e for e in elements(page, "header") if e.get("class") == "site")  # type: ignore[attr-defined]
        assert base in {a.get("href") for a in header.iter(f"{XHTML}a")}  # type: ignore[attr-defined]


IMAGE_NS = "{http://www.google.com/schemas/sitemap-image/1.1}"


def test_the_sitemap_lists_each_pages_lead_picture_with_the_image_extension(
    tmp_path: Path,
) -> None:
    """Google's image sitemap schema is not pinned here (the strict ``xsd:any`` of
    sitemaps.org's schema would need it), so the extension's structure is checked as
    Google's "Image sitemaps" page gives it, and the rest against sitemaps.org's schema."""
    from lxml import etree

    from tests.pictures import with_merchant_listing

    project = Project(tmp_path).with_article("second-article", title="Second")
    with_merchant_listing(project.content)
    assert project.export(only=["html", "media"]).ok
    data = (project.out / "html" / "sitemap.xml").read_bytes()
    assert b'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"' in data
    document = etree.fromstring(data)
    pictures = {}
    for url in document.iter(f"{SITEMAP_NS}url"):
        found = url.findall(f"{IMAGE_NS}image")
        assert len(found) <= 1
        if found:
            # <image:image> holds exactly one <image:loc>, after the url's own loc.
            assert [child.tag for child in found[0]] == [f"{IMAGE_NS}loc"]
            assert url.index(found[0]) == len(url) - 1
            pictures[url.findtext(f"{SITEMAP_NS}loc")] = found[0].findtext(f"{IMAGE_NS}loc")
    # The page with a lead picture names its widest variant, as its og:image does; the
    # home page and the page without a picture name none.
    page = parsed((project.out / "html" / SLUG / "index.html").read_bytes())
    (og_image,) = (e for e in elements(page, "meta") if e.get("property") == "og:image")  # type: ignore[attr-defined]
    assert pictures == {_canonical(project, SLUG): og_image.get("content")}  # type: ignore[attr-defined]
    media_url = "https://media.spikerest.example/content/"
    assert (
        project.out / "media" / pictures[_canonical(project, SLUG)].removeprefix(media_url)
    ).is_file()
    # Without the extension, the sitemap is valid against sitemaps.org's schema.
    for image in list(document.iter(f"{IMAGE_NS}image")):
        image.getparent().remove(image)
    etree.XMLSchema(etree.parse(str(SITEMAP_SCHEMA))).assertValid(document)
