"""The Jinja2 environment every HTML-producing writer uses for its templates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spikecontent.pipeline import Templates

if TYPE_CHECKING:
    import jinja2

__all__ = ["environment"]


def environment(templates: Templates) -> jinja2.Environment:
    """Templates from the profile's overrides or the writer's package, autoescaped, and
    strict: an undefined variable is an error, never an empty string."""
    import jinja2  # imported here: only rendering needs it, and start-up stays light

    return jinja2.Environment(
        loader=jinja2.FunctionLoader(templates.read_text),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
