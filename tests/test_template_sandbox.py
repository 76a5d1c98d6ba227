"""The templates' sandbox answers once per kind of object and name: an answer given for
one object must never let another kind of object, or another name, through."""

from __future__ import annotations

import collections

import jinja2
import pytest
from jinja2.sandbox import SecurityError

from spikecontent.writers import templating

CASES = [
    # (value, a name the sandbox allows, what it must refuse on the same value)
    ([1, 2], "{{ value.index(2) }}", "{{ value.append(3) }}"),
    ({"a": 1}, "{{ value.keys() | list }}", "{{ value.clear() }}"),
    (collections.deque([1]), "{{ value.count(1) }}", "{{ value.pop() }}"),
    (str, "{{ value.upper('a') }}", "{{ value.mro() }}"),
    (templating.environment, "{{ value is callable }}", "{{ value.__globals__ }}"),
]


@pytest.mark.parametrize(("value", "allowed", "refused"), CASES)
def test_what_the_sandbox_refuses_stays_refused_however_often_it_is_asked(
    value: object, allowed: str, refused: str
) -> None:
    sandbox = templating._sandbox()(undefined=jinja2.StrictUndefined)
    for _ in range(2):  # the second time, from the kept answers
        sandbox.from_string(allowed).render(value=value)
        with pytest.raises((SecurityError, jinja2.UndefinedError)):
            sandbox.from_string(refused).render(value=value)


def test_an_answer_for_one_kind_of_object_is_not_given_for_another() -> None:
    sandbox = templating._sandbox()(undefined=jinja2.StrictUndefined)
    # ``pop`` is harmless to read on a string-like object, never on a list.
    assert sandbox.is_safe_attribute(collections.UserString("x"), "pop", None)
    assert not sandbox.is_safe_attribute([], "pop", None)
    assert not sandbox.is_safe_attribute({}, "pop", None)
