"""Every text field of every entity kind is either linted in a scope or declared as not
the publisher's words: a new field cannot go unlinted by accident."""

from __future__ import annotations

import attrs
import pytest

from spikecontent.lint import Scope
from spikecontent.lint.texts import FIELD_SCOPES, UnscopedField, field_scope
from spikecontent.model import COLLECTIONS, SITE_KEY, Site
from spikecontent.model.walk import text_fields

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
