"""The YAML and TOML readers: YAML 1.2 values, positions, and what they refuse."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from spikecontent.loading import yaml_source
from spikecontent.loading.source_map import SourceSyntaxError
from spikecontent.loading.toml_source import parse_toml
from spikecontent.loading.yaml_source import parse_yaml


def test_yaml_follows_the_1_2_core_schema_and_keeps_dates_as_text() -> None:
    document = parse_yaml(
        "a: yes\nb: no\nc: 0o17\nd: 012\ne: true\nf: ~\ng: 2026-01-01\nh: 1.5\n", "x.yaml"
    )
    assert document.data == {
        "a": "yes",
        "b": "no",
        "c": 15,
        "d": 12,
        "e": True,
        "f": None,
        "g": "2026-01-01",
        "h": 1.5,
    }


# Characters that start or make up YAML's nulls, booleans, numbers and timestamps.
SCALARISH = st.text(
    st.sampled_from(list("0123456789.+-_:eExXoObB~nNuUlLtTrRfFaAsS yY")), max_size=8
)


@settings(max_examples=2000, deadline=None, derandomize=True)
@given(SCALARISH, st.booleans(), st.sampled_from([ScalarNode, SequenceNode, MappingNode]))
def test_the_quick_resolver_tags_as_ruamel_yaml_1_2_does(
    value: str, plain: bool, kind: type
) -> None:
    ours = yaml_source._Yaml12Resolver().resolve(kind, value, (plain, not plain))
    theirs = VersionedResolver(version=(1, 2)).resolve(kind, value, (plain, not plain))
    assert str(ours) == str(theirs), value


def test_yaml_positions_of_keys_values_items_and_block_prose() -> None:
    source = parse_yaml("top:\n  items:\n    - one\n    - two\n  text: |\n    prose\n", "x").source

    assert source.key(("top", "items")) == (2, 3)
    assert source.value(("top", "items", 1)) == (4, 7)
    assert source.prose_line(("top", "text"), 0) == (6, 5)


@pytest.mark.parametrize(
    ("text", "position", "message"),
    [
        ("a: 1\na: 2\n", (2, 1), "duplicate key 'a' (first at line 1, column 1)"),
        ("a: !custom x\n", (1, 4), "the tag '!custom' is not supported; remove it"),
        ("base: &b {x: 1}\nc:\n  <<: *b\n", (3, 3), "merge keys ('<<') are not supported"),
        ("a: b: c\n", (1, 5), "mapping values are not allowed in this context"),
    ],
)
def test_yaml_refusals_name_their_position(
    text: str, position: tuple[int, int], message: str
) -> None:
    with pytest.raises(SourceSyntaxError) as caught:
        parse_yaml(text, "x.yaml")
    assert caught.value.position == position
    assert caught.value.message.startswith(message)


def test_toml_positions_of_tables_keys_and_values() -> None:
    source = parse_toml('writer = "json"\n\n[options]\n  indent = 2\n"odd key" = 1\n', "p").source

    assert source.value(("writer",)) == (1, 10)
    assert source.key(("options", "indent")) == (4, 3)
    assert source.value(("options", "indent")) == (4, 12)
    assert source.key(("options", "odd key")) == (5, 1)


def test_toml_syntax_errors_carry_their_line_and_column() -> None:
    with pytest.raises(SourceSyntaxError) as caught:
        parse_toml('writer = "json"\noutput = \n', "p.toml")
    assert caught.value.position == (2, 10)
    assert caught.value.message.startswith("invalid TOML")
