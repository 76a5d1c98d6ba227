"""The one strict cattrs converter between plain data and the model.

A plain ``cattrs.Converter`` coerces silently (``"123"`` to an int field becomes 123, 7.9
becomes 7, ``"no"`` becomes True). Here every scalar must already have the right type, lists
must be lists, mappings must be mappings, and unknown keys are errors. Each refusal is a
:class:`StrictTypeError` that says what was found and how to fix it.
"""

from __future__ import annotations

import datetime
import difflib
import enum
import re
import typing
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, Final, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn

from spikecontent.diagnostics import SpikecontentError
from spikecontent.model import COLLECTIONS, Collection, Library, Site
from spikecontent.model.fields import FieldError
from spikecontent.readable import disguise
from spikecontent.richtext import ProseError, RichText, parse_prose

__all__ = [
    "PartialEntityError",
    "StrictTypeError",
    "converter",
    "describe",
    "structure",
    "unstructure",
]

T = TypeVar("T")
_DECIMAL: Final = re.compile(r"^-?\d+(\.\d+)?$")
_ISO_DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class StrictTypeError(SpikecontentError, TypeError):
    """A value of the wrong type, with what to write instead."""

    def __init__(self, message: str, fix: str, *, unquoted: object = None) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.unquoted = unquoted
        """For text that YAML read as another value (a mapping, a list, a number): that
        value. Placed in its file, the fix quotes the text as written there
        (:func:`~spikecontent.loading.findings.place`); ``fix`` is for no file."""


class PartialEntityError(ClassValidationError):
    """Every problem of a mapping that failed to structure, with :attr:`partial`: an
    instance of the class holding only the fields that did structure (reading another
    raises AttributeError), so that what those fields point at can still be checked."""

    partial: Any


_EXCERPT = 60
"""The most characters of a value a message quotes."""


def describe(value: object) -> str:
    """How a YAML value reads to an editor, e.g. "the number 7.9"."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        # An excerpt: a message quotes what was written, never a whole file.
        shown = value if len(value) <= _EXCERPT else value[: _EXCERPT - 1] + "…"
        return f"the text {shown!r}"
    if isinstance(value, datetime.datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, datetime.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of fields"
    return f"a value of type {type(value).__name__}"


# With U+2028 and U+2029: line and paragraph separators that break JavaScript and feeds.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\ufffe\uffff]")
"""Characters no XML document (feeds, PDF metadata, HTML) can carry."""


def _printable(value: str) -> str:
    found = _CONTROL.search(value)
    if found:
        raise StrictTypeError(
            f"contains the control character U+{ord(found.group()):04X} at position "
            f"{found.start() + 1}",
            "remove it; it is usually pasted in by accident and no channel can show it",
        )
    hidden = disguise(value)
    if hidden is not None:
        raise StrictTypeError(hidden.message, hidden.fix)
    return value


def _text(value: Any, _: type) -> str:
    if isinstance(value, str):
        return _printable(value)
    if value is None:
        raise StrictTypeError("has no value", "write the text after the colon, or remove the field")
    if isinstance(value, dict | list):
        # Its text as Python writes it ("{'Note': ...}") is not what the editor wrote:
        # quoted, it would be published. Placed in its file, the fix quotes the file's text.
        fix = "put the whole value in quotes"
    else:
        fix = f'put it in quotes: "{str(value).lower() if isinstance(value, bool) else value}"'
    raise StrictTypeError(f"expected text, got {describe(value)}", fix, unquoted=value)


def _integer(value: Any, _: type) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        raise StrictTypeError(
            f"expected a whole number, got {describe(value)}", f"remove the quotes: {value.strip()}"
        )
    raise StrictTypeError(
        f"expected a whole number, got {describe(value)}", "write digits only, e.g. 32"
    )


def _number(value: Any, _: type) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise StrictTypeError(f"expected a number, got {describe(value)}", "write digits, e.g. 0.93")


def _boolean(value: Any, _: type) -> bool:
    if isinstance(value, bool):
        return value
    raise StrictTypeError(f"expected true or false, got {describe(value)}", "write true or false")


def _decimal(value: Any, _: type) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise StrictTypeError(
            f"expected an amount, got {describe(value)}", "write an amount like 34.99"
        )
    # repr() of a float is the shortest text that reads back as the same float, which is
    # what the editor typed for any realistic price; Decimal(float) would give 34.99000000000000198.
    text = repr(value) if isinstance(value, float) else str(value).strip()
    if not _DECIMAL.fullmatch(text):
        raise StrictTypeError(
            f"expected an amount, got {describe(value)}", "write an amount like 34.99"
        )
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise StrictTypeError(f"{text!r} is not an amount", "write an amount like 34.99") from None


def _date(value: Any, _: type) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.isoformat()
    elif isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if _ISO_DATE.fullmatch(text):
            try:
                return datetime.date.fromisoformat(text)
            except ValueError as error:
                raise StrictTypeError(
                    f"{text!r} is not a real date ({error})", "check the month and the day"
                ) from None
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            raise StrictTypeError(
                f"expected a calendar date, got the date and time {text!r}",
                f"write the day only, e.g. {moment.date().isoformat()}; "
                "dates are calendar days in the site's timezone",
            )
    raise StrictTypeError(
        f"expected a date, got {describe(value)}", "write the date as YYYY-MM-DD, e.g. 2026-07-04"
    )


def _prose(value: Any, _: type) -> RichText:
    if not isinstance(value, str):
        raise StrictTypeError(
            f"expected Markdown text, got {describe(value)}",
            "write the prose as text; use a `|` block for several paragraphs",
        )
    if not value.strip():
        raise StrictTypeError("must not be blank", "write the text, or remove the field")
    _printable(value)
    try:
        return parse_prose(value)
    except ProseError:
        raise
    except Exception as error:  # pragma: no cover - markdown-it does not fail on text
        raise StrictTypeError(
            f"could not read the Markdown: {error}", "simplify the text"
        ) from None


def _is_enum(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, enum.Enum)


def _enum_hook(cls: type[enum.Enum]) -> Callable[[Any, type], enum.Enum]:
    choices = [str(member.value) for member in cls]

    def structure_enum(value: Any, _: type) -> enum.Enum:
        for member in cls:
            if value == member.value and type(value) is type(member.value):
                return member
        close = difflib.get_close_matches(str(value), choices, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise StrictTypeError(
            f"{describe(value)} is not one of: {', '.join(choices)}",
            f"{hint}use one of the listed values",
        )

    return structure_enum


def _is_homogeneous_tuple(cls: Any) -> bool:
    args = typing.get_args(cls)
    return typing.get_origin(cls) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_hook(cls: Any, conv: cattrs.Converter) -> Callable[[Any, type], tuple[Any, ...]]:
    item_type = typing.get_args(cls)[0]

    def structure_tuple(value: Any, _: type) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise StrictTypeError(
                f"expected a list, got {describe(value)}", "write each entry on its own '- ' line"
            )
        items: list[Any] = []
        errors: list[Exception] = []
        for index, item in enumerate(value):
            try:
                items.append(conv.structure(item, item_type))
            except Exception as error:
                error.__notes__ = [*getattr(error, "__notes__", []), _note(cls, index, item_type)]
                errors.append(error)
        if errors:
            raise IterableValidationError(f"While structuring {cls!r}", errors, cls)
        return tuple(items)

    return structure_tuple


def _note(cls: Any, index: int, item_type: Any) -> IterableValidationNote:
    return IterableValidationNote(f"Structuring {cls!r} @ index {index}", index, item_type)


def _attrs_hook(cls: type, conv: cattrs.Converter) -> Callable[[Any, type], Any]:
    structure_fields: Callable[[Any, Any], Any] = make_dict_structure_fn(
        cls, conv, _cattrs_forbid_extra_keys=True
    )
    names = ", ".join(field.name for field in attrs.fields(cls) if field.init)
    every_problem = _every_problem(cls, conv)

    def structure_class(value: Any, _: type) -> Any:
        if not isinstance(value, dict):
            raise StrictTypeError(
                f"expected a mapping of fields, got {describe(value)}",
                f"write 'key: value' lines; this takes {names}",
            )
        try:
            return structure_fields(value, cls)
        except ClassValidationError as error:
            if every_problem is None:
                raise
            raise every_problem(value, error) from None

    return structure_class


def _each_validator(validator: Any) -> Iterator[Any]:
    """The validators a field's validator is made of: a field given a list of validators
    holds them in one attrs ``and_``, which stops at the first that fails."""
    parts = getattr(validator, "_validators", None)
    if isinstance(parts, tuple):
        for part in parts:
            yield from _each_validator(part)
    else:
        yield validator


def _every_problem(
    cls: type, conv: cattrs.Converter
) -> Callable[[dict[str, Any], ClassValidationError], ClassValidationError] | None:
    """For a mapping that failed to structure as ``cls``: a group of every problem in it.

    cattrs structures each field and reports every field that failed, but then calls
    ``__init__`` only when all did, and ``__init__`` stops at the first validator that
    refuses a value. An editor would see one problem per run. This reads the fields that
    did structure again (a failure is rare, so the fast path stays cattrs' own), runs each
    of their validators on its own, and the class's ``__attrs_post_init__`` checks on the
    fields that have a value, and gathers every refusal, each with its field.

    None for a class whose ``__init__`` does more than validate (converters, fields
    outside ``__init__``, defaults made from the instance): cattrs' one error stands.
    """
    fields = attrs.fields(attrs.resolve_types(cls))
    if any(
        field.converter is not None
        or not field.init
        or (isinstance(field.default, attrs.Factory) and field.default.takes_self)  # type: ignore[arg-type]
        for field in fields
    ):
        return None
    post_init: Callable[[Any], None] | None = getattr(cls, "__attrs_post_init__", None)
    # Each check of a model whose checks are apart runs on its own (one that reads a
    # failed field ends only itself); another model's checks are one.
    names: tuple[str, ...] = getattr(cls, "CROSS_CHECKS", ())
    checks = [getattr(cls, name) for name in names] or ([post_init] if post_init else [])

    def every_problem(value: dict[str, Any], error: ClassValidationError) -> ClassValidationError:
        with_notes, without_notes = error.group_exceptions()
        failed: dict[str, list[Exception]] = {}
        for inner, note in with_notes:
            failed.setdefault(note.name, []).append(inner)
        # With no field failing to structure, the error came from __init__: found again below.
        extra = [e for e in without_notes if isinstance(e, ForbiddenExtraKeysError)]
        if not failed and not extra:
            without_notes = []
        values, problems = _structured_values(cls, conv, fields, value, failed)
        complete = len(values) == len(fields)
        instance: Any = object.__new__(cls)  # without __init__: its validators stop at the first
        for name, given in values.items():
            object.__setattr__(instance, name, given)
        refusals = _validator_refusals(cls, fields, instance, values, complete)
        problems.extend(refusals)
        problems.extend(without_notes)
        for check in checks:
            problems.extend(_check_refusals(check, instance, complete, bool(refusals)))
        if not problems:  # pragma: no cover - cattrs failed, so something above does too
            return error
        group = PartialEntityError(f"While structuring {cls.__name__}", problems, cls)
        group.partial = instance
        return group

    return every_problem


_Fields = tuple[Any, ...]
"""A class's attrs fields (``attrs.fields`` of a class resolved at run time)."""


def _structured_values(
    cls: type,
    conv: cattrs.Converter,
    fields: _Fields,
    value: dict[str, Any],
    failed: dict[str, list[Exception]],
) -> tuple[dict[str, Any], list[Exception]]:
    """Each field's value that structured (or its default), and the fields' own errors."""
    problems: list[Exception] = []
    values: dict[str, Any] = {}
    for field in fields:
        if field.name in failed:
            problems.extend(failed[field.name])
        elif field.name in value:
            try:
                values[field.name] = conv.structure(value[field.name], field.type)
            except Exception as again:  # pragma: no cover - it structured a moment ago
                again.__notes__ = [*getattr(again, "__notes__", []), _field_note(cls, field)]
                problems.append(again)
        elif isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            values[field.name] = field.default.factory()
        elif field.default is not attrs.NOTHING:
            values[field.name] = field.default
    return values, problems


def _validator_refusals(
    cls: type, fields: _Fields, instance: Any, values: dict[str, Any], complete: bool
) -> list[Exception]:
    """Every refusal of each validator of each field that has a value, each on its own."""
    refusals: list[Exception] = []
    for field in fields:
        if field.validator is None or field.name not in values:
            continue
        for validator in _each_validator(field.validator):
            try:
                validator(instance, field, values[field.name])
            except Exception as refusal:
                if isinstance(refusal, AttributeError) and not complete:
                    continue  # it reads another field, which failed: that error stands
                if not isinstance(refusal, FieldError):  # a FieldError names its field
                    refusal.__notes__ = [
                        *getattr(refusal, "__notes__", []),
                        _field_note(cls, field),
                    ]
                refusals.extend(_one_by_one(refusal))
    return refusals


def _check_refusals(
    check: Callable[[Any], None], instance: Any, complete: bool, refused: bool
) -> list[Exception]:
    """What one of the class's checks across fields refuses of ``instance``.

    Also when a field failed (a nested FAQ item, a caution id): the checks across the
    other fields (dates, revisions) are no less wrong for it, and an editor would
    otherwise meet them one run later. A check that reads the failed field ends there;
    the model's other checks (:class:`~spikecontent.model.fields.CrossChecked`) still run."""
    try:
        check(instance)
    except Exception as refusal:
        # A check may read a field that failed (AttributeError: that error stands) or
        # stumble on a value a validator refused; only its own findings count.
        if isinstance(refusal, FieldError) or (complete and not refused):
            return _one_by_one(refusal)
    return []


def _one_by_one(refusal: Exception) -> list[Exception]:
    """``refusal`` and, for a check that went on after its first problem, the others."""
    return [refusal, *refusal.also] if isinstance(refusal, FieldError) else [refusal]


def _field_note(cls: type, field: attrs.Attribute[Any]) -> AttributeValidationNote:
    return AttributeValidationNote(
        f"Structuring class {cls.__qualname__} @ attribute {field.name}", field.name, field.type
    )


def _members(kind: Collection[Any]) -> Any:
    return tuple[kind.cls, ...]  # type: ignore[name-defined]


def _unstructure_library(library: Library, conv: cattrs.Converter) -> dict[str, Any]:
    # The plain form is flat, one list per kind, as the content folder is laid out.
    plain: dict[str, Any] = {"site": conv.unstructure(library.site)}
    for kind in COLLECTIONS:
        plain[kind.name] = conv.unstructure(library.all(kind), _members(kind))
    return plain


def _structure_library(value: Any, conv: cattrs.Converter) -> Library:
    names = ("site", *(kind.name for kind in COLLECTIONS))
    if not isinstance(value, dict):
        raise StrictTypeError(
            f"expected a mapping of fields, got {describe(value)}",
            f"write 'key: value' lines; this takes {', '.join(names)}",
        )
    extra = sorted(set(value) - set(names))
    if extra:
        raise ForbiddenExtraKeysError("", Library, set(extra))
    entities = {
        kind: conv.structure(value[kind.name], _members(kind))
        for kind in COLLECTIONS
        if kind.name in value
    }
    return Library(site=conv.structure(value["site"], Site), entities=entities)


@cache
def converter() -> cattrs.Converter:
    """The project's one converter (built once)."""
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook_factory(attrs.has, lambda cls: _attrs_hook(cls, conv))
    conv.register_structure_hook_factory(_is_homogeneous_tuple, lambda cls: _tuple_hook(cls, conv))
    conv.register_structure_hook_factory(_is_enum, _enum_hook)
    conv.register_structure_hook(str, _text)
    conv.register_structure_hook(int, _integer)
    conv.register_structure_hook(float, _number)
    conv.register_structure_hook(bool, _boolean)
    conv.register_structure_hook(Decimal, _decimal)
    conv.register_structure_hook(datetime.date, _date)
    conv.register_structure_hook(RichText, _prose)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_unstructure_hook(datetime.date, datetime.date.isoformat)
    conv.register_unstructure_hook(RichText, lambda text: text.source)
    conv.register_unstructure_hook(Library, lambda library: _unstructure_library(library, conv))
    conv.register_structure_hook(Library, lambda value, _: _structure_library(value, conv))
    return conv


def structure(data: Any, cls: type[T]) -> T:
    """Build a model object of type ``cls`` from plain data, strictly."""
    return converter().structure(data, cls)


def unstructure(obj: Any) -> Any:
    """Plain, JSON-ready data for a model object; :func:`structure` reads it back."""
    return converter().unstructure(obj)
