"""The rss writer: valid RSS 2.0 and Atom 1.0 feeds of revisions, stable and safe."""

from __future__ import annotations

import html
import re
from pathlib import Path

import feedparser
import pytest
from lxml import etree

import spikecontent
from spikecontent import ContentError
from spikecontent.sdk import Artifact, Part
from spikecontent.writers.feeds import FeedWriter
from tests.conftest import SLUG, Project
from tests.test_writer_units import writer_for

SECOND = "second-article"
ATOM = "{http://www.w3.org/2005/Atom}"
NS = {"atom": "http://www.w3.org/2005/Atom"}
RFC_822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d [+-]\d{4}$"
)
FEEDS = ("site.rss.xml", "site.atom.xml", f"articles/{SLUG}.rss.xml", f"articles/{SLUG}.atom.xml")


def with_second_article(project: Project) -> Project:
    """``project`` with a second article, with categories and a richer revision history."""
    project.with_article(SECOND, extra="\ncategories: [evidence, sleep]")
    project.edit(
        f"articles/{SECOND}.yaml",
        "  - date: 2026-07-04\n    summary: Reviewed and updated.",
        "  - date: 2026-05-01\n    summary: First published.\n"
        "  - date: 2026-08-10\n    summary: Added the 2024 training study.\n"
        "    reviewed_by: maya-ellison",
    )
    return project


@pytest.fixture
def site(tmp_path: Path) -> Project:
    """A project of its own, for a test that changes it."""
    return with_second_article(Project(tmp_path))


@pytest.fixture(scope="module")
def feeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The feeds of ``site``'s content, exported once for the tests that only read them."""
    return export_feeds(with_second_article(Project(tmp_path_factory.mktemp("feeds"))))


def export_feeds(site: Project, out: str = "dist") -> Path:
    """The feeds folder of a successful export into ``root/out``."""
    return site.exported("feeds", only=["rss"], out=out)


def test_every_feed_parses_cleanly_in_its_format(feeds: Path) -> None:
    for name in (*FEEDS, f"articles/{SECOND}.rss.xml", f"articles/{SECOND}.atom.xml"):
        parsed = feedparser.parse((feeds / name).read_bytes())
        assert parsed.bozo == 0, (name, parsed.get("bozo_exception"))
        assert parsed.version == ("rss20" if ".rss." in name else "atom10")


def test_entries_are_revisions_newest_first_with_content_dates(feeds: Path) -> None:
    parsed = feedparser.parse((feeds / "site.atom.xml").read_bytes())

    titles = [entry.title for entry in parsed.entries]
    assert titles == [
        "Added the 2024 training study — Acupressure Mat Benefits: What the Research Really Says",
        "Reviewed and updated — Acupressure Mat Benefits: What the Research Really Says",
        "First published — Acupressure Mat Benefits: What the Research Really Says",
    ]
    assert [e.id for e in parsed.entries] == [
        "tag:www.spikerest.example,2026:articles/second-article/revisions/2026-08-10",
        "tag:www.spikerest.example,2026:articles/acupressure-mat-benefits/revisions/2026-07-04",
        "tag:www.spikerest.example,2026:articles/second-article/revisions/2026-05-01",
    ]
    assert parsed.feed.updated == "2026-08-10T00:00:00+00:00"  # the newest entry, not now
    newest = parsed.entries[0]
    assert newest.link == f"https://www.spikerest.example/{SECOND}/"
    assert "Reviewed by Maya Ellison." in newest.content[0].value
    assert "Wellness disclaimer:" in newest.content[0].value
    assert [tag.term for tag in newest.tags] == ["evidence", "sleep"]
    rss = etree.parse(str(feeds / "site.rss.xml"))
    assert rss.xpath("/rss/channel/lastBuildDate/text()") == ["Mon, 10 Aug 2026 00:00:00 +0000"]
    assert rss.xpath("//item[1]/category/text()") == ["evidence", "sleep"]


def test_rss_has_one_self_link_guids_and_rfc_822_dates(feeds: Path) -> None:
    for name in FEEDS:
        tree = etree.parse(str(feeds / name))
        self_links = tree.xpath("//atom:link[@rel='self']", namespaces=NS)
        assert len(self_links) == 1, name
        assert self_links[0].get("href") == f"https://www.spikerest.example/feeds/{name}"
        assert tree.xpath("//*[local-name()='script']") == []
        if name.endswith(".rss.xml"):
            assert self_links[0].get("type") == "application/rss+xml"
            guids = tree.xpath("//item/guid")
            assert [g.get("isPermaLink") for g in guids] == ["false"] * len(guids)
            assert len({g.text for g in guids}) == len(guids)
            for item in tree.xpath("//item"):
                assert len(item.findall("link")) == 1
            dates = tree.xpath("//pubDate/text() | //lastBuildDate/text()")
            assert dates
            assert all(RFC_822.match(d) for d in dates), dates
            assert tree.xpath("/rss/channel/ttl/text()") == ["60"]
            page = "" if name.startswith("site") else f"{SLUG}/"
            assert tree.xpath("/rss/channel/link/text()") == [
                f"https://www.spikerest.example/{page}"
            ]
        else:
            entries = tree.xpath("//atom:entry", namespaces=NS)
            ids = tree.xpath("//atom:entry/atom:id/text()", namespaces=NS)
            assert len(set(ids)) == len(entries)
            for entry in entries:
                assert len(entry.findall(f"{ATOM}link")) == 1
        for title in tree.xpath("//*[local-name()='title']"):
            assert "<" not in (title.text or "")
            assert len(title) == 0  # no child elements: plain text


def test_the_site_feeds_made_of_entry_parts_are_the_feeds_rendered_whole(site: Project) -> None:
    # Two revisions on one day, in two articles: the order's ties are in the parts' order too.
    site.add_revision(SLUG, "2026-08-10", "Checked the references.")
    feeds = export_feeds(site)
    library = spikecontent.load(site.content)
    writer = writer_for(library, "rss")
    for form in ("rss", "atom"):
        (artifact,) = [a for a in writer.plan() if a.path == f"site.{form}.xml"]
        assert artifact.parts is not None
        assert len(artifact.parts) == 4
        assert (feeds / artifact.path).read_bytes() == writer.render(artifact)


def test_a_changed_article_renders_only_its_own_site_feed_entries(
    site: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert site.export(only=["rss"]).ok
    rendered: list[str] = []
    render_part = FeedWriter.render_part

    def counted(self: FeedWriter, artifact: Artifact, part: Part) -> bytes:
        rendered.append(f"{artifact.path} {part.key}")
        return render_part(self, artifact, part)

    monkeypatch.setattr(FeedWriter, "render_part", counted)
    site.edit(f"articles/{SECOND}.yaml", "summary: First published.", "summary: Published.")
    assert site.export(only=["rss"]).ok
    # Both of its revisions (an entry carries its article's title), not the other's.
    forms = ("rss", "atom")
    assert rendered == [f"site.{f}.xml {SECOND}/{n}" for f in forms for n in (1, 0)]
    feeds = site.out / "feeds"
    parsed = feedparser.parse((feeds / "site.atom.xml").read_bytes())
    assert parsed.entries[-1].title.startswith("Published — ")
    fresh = export_feeds(site, "fresh")
    for name in FEEDS:
        assert (feeds / name).read_bytes() == (fresh / name).read_bytes()


def test_builds_are_byte_identical_and_ids_survive_new_revisions(site: Project) -> None:
    first = export_feeds(site, "one")
    again = export_feeds(site, "two")
    for name in FEEDS:
        assert (first / name).read_bytes() == (again / name).read_bytes()

    before = feedparser.parse((first / f"articles/{SLUG}.atom.xml").read_bytes())
    site.add_revision(SLUG, "2026-07-04", "Re-verified the 2012 study.")
    site.add_revision(SLUG, "2026-09-01", "Added a caution.")
    after = feedparser.parse(
        (export_feeds(site, "three") / f"articles/{SLUG}.atom.xml").read_bytes()
    )

    old = {e.id for e in before.entries}
    new = [e.id for e in after.entries]
    assert old <= set(new)
    assert new[:2] == [
        f"tag:www.spikerest.example,2026:articles/{SLUG}/revisions/2026-09-01",
        f"tag:www.spikerest.example,2026:articles/{SLUG}/revisions/2026-07-04-2",
    ]


def test_hostile_text_stays_text(site: Project) -> None:
    hostile = '<script>alert(1)</script> ]]> & "quotes" 🧘'
    site.add_revision(SLUG, "2026-09-01", f"'{hostile}'")
    feeds = export_feeds(site)
    for name in FEEDS:
        tree = etree.parse(str(feeds / name))  # well-formed, or this raises
        assert tree.xpath("//*[local-name()='script']") == []
        parsed = feedparser.parse((feeds / name).read_bytes())
        assert parsed.bozo == 0
        assert parsed.entries[0].title.startswith(hostile)
        html = tree.xpath("//*[local-name()='encoded' or local-name()='content']/text()")[0]
        assert "<script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp;" in html


def test_control_characters_are_a_content_error_not_broken_xml(site: Project) -> None:
    site.add_revision(SLUG, "2026-09-01", '"Bad \\x0b character"')
    with pytest.raises(ContentError) as caught:
        export_feeds(site)
    [problem] = caught.value.diagnostics
    assert problem.field.endswith(".summary")
    assert "U+000B" in problem.message


def _without_revisions(project: Project, slug: str) -> None:
    """``slug``'s article with no revision: its list (the file's last) is cut off."""
    path = project.content / "articles" / f"{slug}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("\nrevisions:")] + "\n", encoding="utf-8")


def test_an_article_with_no_revision_is_in_every_feed_by_its_first_publication(
    tmp_path: Path,
) -> None:
    project = Project(tmp_path).with_article(SECOND, title="Second")
    project.edit(f"articles/{SECOND}.yaml", "\nmodified:", "\npublished: 2026-07-10\nmodified:")
    project.edit(f"articles/{SECOND}.yaml", "modified: 2026-07-04", "modified: 2026-07-10")
    project.edit(
        f"articles/{SECOND}.yaml", "last_reviewed: 2026-07-04", "last_reviewed: 2026-07-10"
    )
    _without_revisions(project, SECOND)
    report = project.export(only=["rss"])
    assert report.ok, report.failed
    assert not [w for w in report.warnings if "in no feed" in str(w)]
    feeds = project.out / "feeds"
    entry_id = "tag:www.spikerest.example,2026:articles/second-article/published"
    for name in (f"articles/{SECOND}.atom.xml", f"articles/{SECOND}.rss.xml", *FEEDS[:2]):
        parsed = feedparser.parse((feeds / name).read_bytes())
        assert parsed.bozo == 0, name
        first = parsed.entries[0]  # the newest entry of the site's feeds too
        assert first.id == entry_id, name
        assert first.title == "Published — Second"
        assert first.link == f"https://www.spikerest.example/{SECOND}/"
        assert "What people genuinely report" in first.summary
        assert "Wellness disclaimer:" in (first.get("content") or [first])[0]["value"]
        published = first.get("published_parsed") or first.get("updated_parsed")
        assert published[:3] == (2026, 7, 10), name
    own = feedparser.parse((feeds / f"articles/{SECOND}.atom.xml").read_bytes())
    assert len(own.entries) == 1
    assert own.feed.updated == "2026-07-10T00:00:00+00:00"


def test_a_revision_on_the_publication_day_is_its_one_entry(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.edit(
        "articles/acupressure-mat-benefits.yaml",
        "\nmodified:",
        "\npublished: 2026-07-04\nmodified:",
    )
    report = project.export(only=["rss"])
    assert report.ok, report.failed
    parsed = feedparser.parse((project.out / "feeds" / FEEDS[3]).read_bytes())
    assert [e.title for e in parsed.entries] == [
        "Reviewed and updated — Acupressure Mat Benefits: What the Research Really Says"
    ]
    # An earlier first publication is an entry of its own, before the revision.
    project.edit(
        "articles/acupressure-mat-benefits.yaml", "published: 2026-07-04", "published: 2026-06-01"
    )
    assert project.export(only=["rss"]).ok
    parsed = feedparser.parse((project.out / "feeds" / FEEDS[3]).read_bytes())
    assert [e.id.rsplit(":", 1)[1] for e in parsed.entries] == [
        "articles/acupressure-mat-benefits/revisions/2026-07-04",
        "articles/acupressure-mat-benefits/published",
    ]


def test_a_published_article_no_feed_can_announce_is_a_warning(tmp_path: Path) -> None:
    project = Project(tmp_path)
    _without_revisions(project, SLUG)  # and the seed has no published date
    report = project.export(only=["rss"])
    assert report.ok, report.failed
    (warning,) = [w for w in report.warnings if "in no feed" in str(w)]
    assert "published" in str(warning)
    parsed = feedparser.parse((project.out / "feeds" / FEEDS[3]).read_bytes())
    assert parsed.entries == []


def test_a_new_article_once_published_as_its_skeleton_says_is_a_feed_entry(
    tmp_path: Path,
) -> None:
    from typer.testing import CliRunner

    from spikecontent.cli import app

    project = Project(tmp_path)
    done = CliRunner().invoke(
        app,
        ["new", "article", "new-article", "--title", "A new article", "-c", str(project.content)],
    )
    assert done.exit_code == 0, done.output
    path = project.content / "articles" / "new-article.yaml"
    text = path.read_text(encoding="utf-8")
    # What the editor does: fill the TODOs, publish, and date it as the skeleton asks.
    modified = re.search(r"^modified: (\S+)", text, re.MULTILINE)
    assert modified is not None
    text = re.sub(r"\s*# TODO:.*", "", text)
    text = text.replace(
        "TODO one or two sentences for search results and link previews",
        "How to unroll and store a mat.",
    )
    text = text.replace(
        "TODO the opening paragraph: what the reader will learn, in plain words.",
        "Unroll the mat on a flat floor and roll it up again with the spikes inside.",
    )
    text = text.replace("status: draft", "status: published")
    text = re.sub(r"^# published: .*$", f"published: {modified[1]}", text, flags=re.MULTILINE)
    path.write_text(text, encoding="utf-8")
    report = project.export(only=["rss"])
    assert report.ok, report.failed
    parsed = feedparser.parse(
        (project.out / "feeds" / "articles/new-article.atom.xml").read_bytes()
    )
    assert parsed.bozo == 0
    (entry,) = parsed.entries
    assert entry.title == "Published — A new article"
    assert entry.updated.startswith(modified[1])
    site = feedparser.parse((project.out / "feeds" / "site.atom.xml").read_bytes())
    assert entry.id in {e.id for e in site.entries}


def test_a_plain_summary_reads_as_written_in_rss_html_and_atom_text(site: Project) -> None:
    """RSS's <description> is HTML to readers (feedparser says text/html), so a plain
    summary's '&' and '<' are escaped as HTML there; Atom's <summary> is text."""
    written = "Added the 2024 study & its <b>caveats</b>."
    site.edit(
        f"articles/{SECOND}.yaml",
        "summary: Added the 2024 training study.",
        f"summary: '{written}'",
    )
    feeds = export_feeds(site)
    rss = feedparser.parse((feeds / f"articles/{SECOND}.rss.xml").read_bytes())
    atom = feedparser.parse((feeds / f"articles/{SECOND}.atom.xml").read_bytes())
    [rss_entry] = [e for e in rss.entries if e.title.startswith("Added")]
    [atom_entry] = [e for e in atom.entries if e.title.startswith("Added")]
    assert rss_entry.summary_detail.type == "text/html"
    # As HTML, the summary shows the characters written, and no markup of its own.
    assert "<b>" not in rss_entry.summary
    assert html.unescape(rss_entry.summary) == written
    assert atom_entry.summary_detail.type == "text/plain"
    assert atom_entry.summary == written
