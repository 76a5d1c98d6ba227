"""The templates' sandbox answers once per kind of object and name: an answer given for
one object must never let another kind of object, or another name, through."""

from __future__ import annotations

import collections
from pathlib import Path

import jinja2
import pytest
from jinja2.sandbox import SecurityError

from spikecontent.sdk import Templates, templating

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


def _templates(root: Path, package: str, *, overrides: bool) -> Templates:
    """A package of one template that changes the list it is given, and a folder of
    overrides that holds nothing."""
    (root / package).mkdir()
    (root / package / "__init__.py").write_text("")
    (root / package / "t.html").write_text("{{ value.append(3) }}{{ value }}")
    (root / f"{package}_overrides").mkdir()
    return Templates(
        overrides=root / f"{package}_overrides" if overrides else None, package=package
    )


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_a_profile_with_a_folder_of_overrides_renders_every_template_in_the_sandbox(
    root: Path,
) -> None:
    plain = templating.environment(_templates(root, "sandbox_a", overrides=False))
    assert plain.get_template("t.html").render(value=[1]) == "None[1, 3]"
    # The same name and source, in an environment of its own kind: the sandbox refuses.
    sandboxed = templating.environment(_templates(root, "sandbox_b", overrides=True))
    assert sandboxed.sandboxed
    with pytest.raises(SecurityError):
        sandboxed.get_template("t.html").render(value=[1])


def test_packaged_templates_alone_render_outside_the_sandbox(root: Path) -> None:
    templates = _templates(root, "sandbox_c", overrides=False)
    plain = templating.environment(templates)
    assert not plain.sandboxed
    # A folder set after the environment was made is never read outside the sandbox.
    templates.overrides = root / "sandbox_c_overrides"
    with pytest.raises(RuntimeError, match="overrides appeared"):
        plain.get_template("t.html")
