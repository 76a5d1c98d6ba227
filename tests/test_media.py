"""The media writer publishes the pictures the other channels link: every picture URL in
the JSON-LD and the delivery documents resolves to a file under ``dist/media/``, served
as it is by nginx."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from spikecontent.writers.readback import json_strings
from tests.conftest import SLUG, Project
from tests.pictures import picture, with_merchant_listing
from tests.servers import NGINX, Nginx

MEDIA_URL = "https://media.spikerest.example/content/"
"""The media URL tests.pictures gives the site."""
ONLY = ["media", "jsonld", "json"]


@pytest.fixture
def shop(tmp_path: Path) -> Project:
    project = Project(tmp_path)
    with_merchant_listing(project.content)
    return project


def _published(project: Project) -> dict[str, bytes]:
    media = project.out / "media"
    return {
        p.relative_to(media).as_posix(): p.read_bytes() for p in media.rglob("*") if p.is_file()
    }


def _linked_pictures(project: Project, *writers: str) -> set[str]:
    """The picture files the JSON-LD and the delivery document (or those of ``writers``)
    link, by their path under the media URL."""
    paths = {"jsonld": f"jsonld/{SLUG}.jsonld", "json": f"json/articles/{SLUG}.json"}
    documents = [project.out / paths[writer] for writer in writers or paths]
    return {
        text.removeprefix(MEDIA_URL)
        for document in documents
        for text in json_strings(json.loads(document.read_bytes()))
        if text.startswith(MEDIA_URL)
    }


def test_every_linked_picture_is_published_as_it_is(shop: Project) -> None:
    assert shop.export(only=ONLY).ok
    published = _published(shop)
    images = shop.content / "images"
    assert published == {
        "images/lead.jpg": (images / "lead.jpg").read_bytes(),
        "images/spikerest-mat.png": (images / "spikerest-mat.png").read_bytes(),
    }
    # The article's lead picture and its offer's product picture (reached through the
    # offer): each URL the channels give is a published file.
    assert _linked_pictures(shop) == set(published)
    # Each channel on its own links both: the delivery document inlines the offer with
    # its product, and gives every picture its URL.
    assert _linked_pictures(shop, "json") == set(published)
    assert _linked_pictures(shop, "jsonld") == set(published)


def test_a_picture_only_a_draft_shows_is_published_only_with_drafts(shop: Project) -> None:
    shop.with_article("draft-article", title="Draft")
    shop.edit("articles/draft-article.yaml", "status: published", "status: draft")
    shop.edit("articles/draft-article.yaml", "images/lead.jpg", "images/draft.jpg")
    (shop.content / "images" / "draft.jpg").write_bytes(picture(800, 450, "JPEG"))
    assert shop.export(only=["media"]).ok
    assert "images/draft.jpg" not in _published(shop)

    shop.profile("media", 'writer = "media"\noutput = "media"\ndrafts = true\n')
    assert shop.export(only=["media"]).ok
    assert "images/draft.jpg" in _published(shop)


def test_a_changed_picture_is_published_again_and_a_dropped_one_removed(shop: Project) -> None:
    assert shop.export(only=["media"]).ok
    changed = picture(800, 600, "JPEG")
    (shop.content / "images" / "lead.jpg").write_bytes(changed)
    report = shop.export(only=["media"])
    assert report.ok
    assert report.written == ("media/images/lead.jpg",)
    assert _published(shop)["images/lead.jpg"] == changed

    lead = "\nimage:\n  file: images/lead.jpg\n  alt: A mat on a wooden floor beside a pillow"
    shop.edit(f"articles/{SLUG}.yaml", lead, "")
    assert shop.export(only=["media"]).ok
    assert set(_published(shop)) == {"images/spikerest-mat.png"}


@pytest.mark.skipif(not NGINX.exists(), reason="Debian's nginx is not installed")
def test_nginx_serves_the_published_pictures_with_their_types(shop: Project) -> None:
    assert shop.export(only=ONLY).ok
    with Nginx("", shop.root / "nginx", static=shop.out) as url:
        for path, kind in (
            ("images/lead.jpg", "image/jpeg"),
            ("images/spikerest-mat.png", "image/png"),
        ):
            answer = httpx.get(f"{url}/media/{path}")
            assert answer.status_code == 200
            assert answer.headers["content-type"] == kind
            assert answer.content == (shop.content / path).read_bytes()


def test_without_pictures_nothing_is_published(tmp_path: Path) -> None:
    project = Project(tmp_path)
    assert project.export(only=["media"]).ok
    assert _published(project) == {}
