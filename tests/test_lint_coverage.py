"""Every text field of every entity kind is either linted in a scope or declared as not
the publisher's words: a new field cannot go unlinted by accident."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from typer.testing import CliRunner

from spikecontent.cli import app
from spikecontent.lint import Scope
from spikecontent.lint.texts import FIELD_SCOPES, UnscopedField, field_scope
from spikecontent.model import COLLECTIONS, SITE_KEY, Site
from spikecontent.model.walk import text_fields
from tests.conftest import Project

KINDS = [(SITE_KEY.kind, Site), *((kind.name, kind.cls) for kind in COLLECTIONS)]


@pytest.mark.parametrize(("kind", "cls"), KINDS, ids=[k for k, _ in KINDS])
def test_every_text_field_has_a_lint_scope_or_is_declared_not_words(kind: str, cls: type) -> None:
    unscoped = []
    for names in text_fields(cls):
        try:
            field_scope(kind, names)
        except UnscopedField:
            unscoped.append(".".join(names))
    assert unscoped == [], f"add these {kind} fields to lint.texts.FIELD_SCOPES"


def test_the_table_names_only_fields_that_exist() -> None:
    # A renamed field must not leave a stale row behind that scopes nothing.
    for kind, cls in KINDS:
        paths = set(text_fields(cls))
        for prefix in FIELD_SCOPES[kind]:
            assert any(p[: len(prefix)] == prefix for p in paths), (kind, prefix)


def test_a_new_text_field_is_caught() -> None:
    @attrs.frozen(kw_only=True)
    class Grown:
        id: str
        tagline: str

    assert ("tagline",) in set(text_fields(Grown))
    with pytest.raises(UnscopedField):
        field_scope("products", ("tagline",))


def test_the_longest_prefix_decides() -> None:
    assert field_scope("articles", ("faq", "items", "answer")) is Scope.FAQ
    assert field_scope("articles", ("faq", "items", "id")) is None
    assert field_scope("articles", ("evidence_table", "supported")) is Scope.EVIDENCE
    not_established = ("evidence_table", "not_established")
    assert field_scope("articles", not_established) is Scope.NOT_ESTABLISHED


def test_no_published_field_goes_unread_but_identifiers_and_the_study_record() -> None:
    """Every text field a channel shows is read by the rules; the only ones no rule reads
    are identifiers (ids, references, addresses, codes) and a study's published record."""
    from spikecontent.lint.texts import IDENTIFIER, RECORD, field_entry

    for kind, cls in KINDS:
        for names in text_fields(cls):
            entry = field_entry(kind, names)
            assert isinstance(entry, Scope) or entry in (IDENTIFIER, RECORD), (kind, names)
            if entry is RECORD:
                assert kind == "studies", (kind, names)
    # Names are words a reader sees: none is an identifier.
    for kind, names in [
        ("site", ("name",)),
        ("site", ("pages", "title")),
        ("products", ("name",)),
        ("products", ("brand",)),
        ("people", ("name",)),
        ("disclaimers", ("label",)),
        ("disclaimers", ("text",)),
        ("cautions", ("advice",)),
        ("cautions", ("applies_to",)),
    ]:
        assert field_scope(kind, names) is not None, (kind, names)


CLAIM = "cures sciatica"


@pytest.mark.parametrize(
    ("relative", "old", "new"),
    [
        ("disclaimers/wellness.yaml", "label: Wellness disclaimer", f"label: Mat that {CLAIM}"),
        ("disclaimers/wellness.yaml", "doctor before use.", f"doctor before use. It {CLAIM}."),
        ("cautions/pregnancy.yaml", "advice: talk to your doctor", f"advice: it {CLAIM}; talk to"),
        ("cautions/pregnancy.yaml", "applies_to: Pregnancy", f"applies_to: Pregnancy; it {CLAIM}"),
        ("products/spikerest-mat.yaml", "name: SpikeRest mat", f"name: The mat that {CLAIM}"),
        ("people/maya-ellison.yaml", "name: Maya Ellison", f"name: Maya, whose mat {CLAIM}"),
        ("site.yaml", "name: SpikeRest", f"name: SpikeRest {CLAIM}"),
        ("site.yaml", "title: Buyer reviews", f"title: The mat that {CLAIM}"),
    ],
)
def test_a_claim_in_a_newly_read_field_fails_validate(
    tmp_path: Path, relative: str, old: str, new: str
) -> None:
    project = Project(tmp_path)
    line = project.edit(relative, old, new)
    result = CliRunner().invoke(app, ["validate", str(project.content)])
    assert result.exit_code == 1, result.output
    assert f"{relative}:{line}:" in result.output
    assert "error" in result.output
