"""site.yaml's language: a BCP 47 tag with a script and a region where a site needs them
(zh-Hant-TW, sr-Latn, es-419), published as written by every channel that names it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from spikecontent import load
from spikecontent.writers.html.head import og_locale
from tests.conftest import SLUG, Edit, Project, errors_of
from tests.vnu import NEEDS_VNU, vnu_errors


@pytest.mark.parametrize(
    "tag", ["en", "en-US", "haw", "zh-Hant-TW", "zh-Hans", "sr-Latn", "es-419", "ca-ES-valencia"]
)
def test_a_tag_with_a_script_a_region_or_a_variant_is_accepted(
    content_copy: Path, edit: Edit, tag: str
) -> None:
    # 'zh-Hant-TW', 'sr-Latn' and 'es-419' were "not a BCP 47 language tag".
    edit("site.yaml", "language: en-US", f"language: {tag}")
    assert load(content_copy).site.language == tag


@pytest.mark.parametrize(
    "tag", ["EN", "en_US", "en-USA", "english", "zh-Hant-TW-", "en-US-x-house", "en-u-ca-roc"]
)
def test_what_is_no_tag_or_carries_an_extension_is_refused(
    content_copy: Path, edit: Edit, tag: str
) -> None:
    line = edit("site.yaml", "language: en-US", f"language: {tag}")
    [error] = errors_of(content_copy)
    assert (error.line, error.field) == (line, "language")
    assert error.message == (
        f"{tag!r} is not a BCP 47 language tag (a language, then optionally a script, a region"
        " and variants)"
    )
    assert error.fix == "use a tag such as 'en', 'en-US', 'es-419', 'sr-Latn' or 'zh-Hant-TW'"


@pytest.fixture(scope="module")
def taiwan(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = Project(tmp_path_factory.mktemp("zh-Hant-TW"))
    project.edit("site.yaml", "language: en-US", "language: zh-Hant-TW")
    report = project.export(only=["html", "rss", "jsonld"])
    assert report.ok, report.failed
    return project


def test_every_channel_publishes_the_tag_as_written(taiwan: Project) -> None:
    page = (taiwan.out / "html" / SLUG / "index.html").read_text("utf-8")
    assert '<html lang="zh-Hant-TW"' in page
    # RSS 2.0's language takes the W3C's (BCP 47) tags; Atom's xml:lang is BCP 47.
    rss = (taiwan.out / "feeds" / "site.rss.xml").read_text("utf-8")
    assert re.findall(r"<language>([^<]*)</language>", rss) == ["zh-Hant-TW"]
    atom = (taiwan.out / "feeds" / "site.atom.xml").read_text("utf-8")
    assert 'xml:lang="zh-Hant-TW"' in atom
    graph = json.loads((taiwan.out / "jsonld" / f"{SLUG}.jsonld").read_text("utf-8"))
    languages = set(re.findall(r'"inLanguage": "([^"]*)"', json.dumps(graph)))
    assert languages == {"zh-Hant-TW"}


def test_open_graph_names_the_locale_as_language_and_territory(taiwan: Project) -> None:
    # Open Graph's og:locale is language_TERRITORY: 'zh_Hant_TW' is none.
    for page in (taiwan.out / "html" / SLUG / "index.html", taiwan.out / "html" / "index.html"):
        text = page.read_text("utf-8")
        assert re.findall(r'property="og:locale" content="([^"]*)"', text) == ["zh_TW"]


@pytest.mark.parametrize(
    ("tag", "locale"),
    [
        ("en-US", "en_US"),
        ("zh-Hant-TW", "zh_TW"),
        ("sr-Latn", "sr"),
        ("es-419", "es"),
        ("haw", "haw"),
    ],
)
def test_og_locale_keeps_the_language_and_a_two_letter_territory(tag: str, locale: str) -> None:
    assert og_locale(tag) == locale


@pytest.mark.slow
@NEEDS_VNU
def test_the_pages_with_the_tag_have_no_html_error(taiwan: Project) -> None:
    html = taiwan.out / "html"
    assert vnu_errors([html / SLUG / "index.html", html / "index.html"]) == []
