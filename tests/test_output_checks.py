"""The export's output check: every health-related part of every artifact, read back from
its bytes, carries its article's disclaimer; an artifact without it fails the export."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

import spikecontent
from spikecontent.pipeline import Registry, load_profiles, make_writer
from spikecontent.pipeline.disclaimers import missing_disclaimers
from spikecontent.sdk import Artifact, Writer
from tests.conftest import CONTENT, REPO, Project

SENTENCE = b"They are not intended to diagnose, treat, cure, or prevent any condition."
CHECKED = ("jsonld", "rss", "macros")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    # Every helpdesk file, Freshdesk's too (it needs an account's folder id).
    project = Project(tmp_path_factory.mktemp("checks")).option(
        "macros", "freshdesk_folder_id = 42"
    )
    report = project.export(only=CHECKED)
    assert report.ok, report.failed
    return project


@pytest.fixture(scope="module")
def dist(project: Project) -> Path:
    return project.out


def artifacts(dist: Path) -> list[tuple[str, Writer[Any], Artifact, bytes]]:
    """``(path, writer, artifact, bytes)`` for each checked artifact."""
    library = spikecontent.load(CONTENT)
    profiles, problems = load_profiles(dist.parent / "exporters", Registry.installed())
    assert not problems
    found = []
    for profile in profiles:
        if profile.name not in CHECKED:
            continue
        writer = make_writer(profile, library)
        for artifact in writer.plan():
            data = (dist / profile.output / artifact.path).read_bytes()
            found.append((f"{profile.output}/{artifact.path}", writer, artifact, data))
    return found


def pieces(writer: Writer[Any], artifact: Artifact, data: bytes) -> list[bytes]:
    """What the export reads back of an artifact as written: the whole of it, or for a
    composed one each of its parts, once the file is shown to be exactly their join."""
    if artifact.parts is None:
        return [data]
    parts = [writer.render_part(artifact, part) for part in artifact.parts]
    assert writer.join(artifact, parts) == data
    return parts


def test_every_health_part_is_read_back_and_carries_the_disclaimer(dist: Path) -> None:
    library = spikecontent.load(CONTENT)
    seen = set()
    for path, writer, artifact, data in artifacts(dist):
        for piece in pieces(writer, artifact, data):
            parts = list(writer.health_texts(artifact, piece))
            assert list(missing_disclaimers(parts, library)) == [], path
            if parts:
                seen.add(path)
            # Without the disclaimer's middle sentence, every health part is reported.
            tampered = piece.replace(SENTENCE, b"")
            if tampered != piece:
                broken = list(writer.health_texts(artifact, tampered))
                messages = list(missing_disclaimers(broken, library))
                assert len(messages) == len(parts) > 0, path
                assert all("the disclaimer 'wellness' is missing" in m for m in messages)
    slug = "acupressure-mat-benefits"
    assert {
        f"jsonld/{slug}.jsonld",
        f"jsonld/{slug}.jsonld.html",
        "feeds/site.rss.xml",
        "feeds/site.atom.xml",
        f"macros/{slug}-faq-sleep.txt",
        "macros/all.txt",
        "macros/zendesk.json",
        "macros/gorgias.json",
        "macros/helpscout.json",
        "macros/freshdesk.json",
        "macros/espanso.yml",
        "macros/macros.csv",
        "macros/macros.json",
        "macros/index.html",
    } <= seen
    assert f"macros/{slug}-offer.txt" not in seen  # not health-related


def test_a_leaflet_template_without_the_disclaimer_fails_the_export(tmp_path: Path) -> None:
    exporters = tmp_path / "exporters"
    shutil.copytree(REPO / "exporters", exporters)
    templates = Path(spikecontent.__file__).parent / "writers" / "pdf" / "templates"
    parts = (templates / "parts.html").read_text(encoding="utf-8")
    assert "<p>{{ disclaimer.text }}</p>" in parts
    override = parts.replace("<p>{{ disclaimer.text }}</p>", "")
    (exporters / "pdf").mkdir()
    (exporters / "pdf" / "parts.html").write_text(override, encoding="utf-8")
    report = spikecontent.export(CONTENT, exporters=exporters, out=tmp_path / "dist", only=["pdf"])
    (failure,) = report.failed
    assert failure.path == "leaflets/acupressure-mat-benefits.pdf"
    assert failure.cause == "leaflet: the disclaimer 'wellness' is missing"
    assert not (tmp_path / "dist" / "leaflets").exists()
