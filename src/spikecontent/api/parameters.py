"""Query parameters as data: one declaration reads a value (or says what to send instead)
and is what the OpenAPI document says of the parameter (:mod:`spikecontent.schemas.openapi`
writes it out), so the two cannot disagree."""

from __future__ import annotations

import contextlib
import datetime
import re
from collections.abc import Sequence
from typing import Any, Final

import attrs

from spikecontent.delivery.queries import QueryError, check_parameters, not_an_integer

__all__ = ["Param", "read_parameters"]

_JSON_NUMBER: Final = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?")


@attrs.frozen(kw_only=True)
class Param:
    """One query parameter: its name, type and bounds, and what the document says of it."""

    name: str
    description: str
    type: str = "string"
    """``string``, ``integer``, ``date`` or ``flag`` (present or absent)."""
    default: Any = None
    required: bool = False
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    pattern: str | None = None
    too_many: str = ""
    """What a value over the maximum should do instead (``limit`` pages on)."""
    example: str = ""

    def read(self, text: str) -> Any:
        """The value of ``text``; :class:`QueryError` saying what to send instead."""
        if self.type == "integer":
            return self._bounded(text)
        if self.type == "date":
            with contextlib.suppress(ValueError):
                if len(text) == 10:
                    return datetime.date.fromisoformat(text)
            raise QueryError(
                f"{self.name}: {text!r} is not a day; send a date as YYYY-MM-DD (RFC 3339's"
                f" full-date), e.g. {self.name}={self.example}"
            )
        if self.type == "flag":
            if text not in ("", "1", "true"):
                raise QueryError(f"{self.name}: {text!r}: send {self.name} alone (or =1)")
            return True
        if self.choices and text not in self.choices:
            raise QueryError(
                f"{self.name}: {text!r} is not an order; send one of {', '.join(self.choices)}"
            )
        if self.required and not text:
            raise QueryError(f"{self.name}: must not be empty")
        return text

    def _bounded(self, text: str) -> int:
        if not _JSON_NUMBER.fullmatch(text) or not float(text).is_integer():
            raise QueryError(not_an_integer(self.name, text))
        value = int(float(text))
        if self.minimum is not None and value < self.minimum:
            raise QueryError(
                f"{self.name}: {text!r} is less than the minimum, {self.minimum}: send"
                f" {self.name}={self.minimum} or more"
            )
        if self.maximum is not None and value > self.maximum:
            instead = self.too_many or f"{self.name}={self.maximum} or less"
            raise QueryError(
                f"{self.name}: {text!r} is more than the maximum, {self.maximum}: send {instead}"
            )
        return value


def read_parameters(declared: Sequence[Param], pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Every declared parameter's value (its default when not given) from the query's
    ``pairs``; :class:`QueryError` for one not declared, one given twice, a required one
    missing, or a value that does not fit."""
    given = dict(pairs)
    check_parameters(given.keys(), [p.name for p in declared])
    if len(given) < len(pairs):
        # One spelling, one URL per answer: which of two values counts is not guessed.
        twice = next(name for name, _ in pairs if sum(n == name for n, _ in pairs) > 1)
        raise QueryError(f"query parameter {twice!r} is given more than once: send it once")
    values: dict[str, Any] = {}
    for param in declared:
        text = given.get(param.name)
        if text is None:
            if param.required:
                raise QueryError(f"missing query parameter {param.name!r}: {param.description}")
            values[param.name] = False if param.type == "flag" else param.default
        else:
            values[param.name] = param.read(text)
    return values
