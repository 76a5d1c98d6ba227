"""``spikecontent new``: a skeleton file for a new article, study, caution or person.

Each skeleton validates as it is: every required field holds a ``TODO`` placeholder (a
lint warning while nothing published uses the entry, an error once something does, see
:mod:`spikecontent.lint.placeholders`), each field has a comment saying what goes there,
and optional fields are left as comments, so nothing in a skeleton can be mistaken for a
fact. Articles start as drafts.

What a user gives (the id, an article's title) reaches the file only as YAML can carry it
and no further: an id is kebab-case, a title is a double-quoted scalar with every line
break escaped, and the header comment shows a title only when it is one printable line
(NEL, U+2028 and U+2029 end a YAML line too, comment or not). Characters the content may
not hold (see :mod:`spikecontent.loading.converter`) are refused before anything is
written, so ``--title $'x\\nstatus: published'`` is a title, never a key.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import attrs

from spikecontent.diagnostics import SpikecontentError
from spikecontent.links import check_id
from spikecontent.loading.loader import load
from spikecontent.model import (
    ARTICLES,
    CAUTIONS,
    DISCLAIMERS,
    PEOPLE,
    STUDIES,
    Collection,
    Library,
)

__all__ = ["KINDS", "NewEntry", "ScaffoldError", "new_entry"]

KINDS: Final[dict[str, Collection[Any]]] = {
    "article": ARTICLES,
    "study": STUDIES,
    "caution": CAUTIONS,
    "person": PEOPLE,
}


class ScaffoldError(SpikecontentError):
    """A skeleton that cannot be written (a taken or malformed id, say)."""


@attrs.frozen(kw_only=True)
class NewEntry:
    """A skeleton written, and the lines an editor has to fill in."""

    path: Path
    todo: tuple[str, ...]
    """``line: what to fill in`` for every placeholder, in file order."""


def new_entry(
    content: str | os.PathLike[str],
    kind: str,
    ident: str,
    *,
    title: str | None = None,
    today: datetime.date | None = None,
) -> NewEntry:
    """Write the skeleton of a new ``kind`` (a key of :data:`KINDS`) called ``ident``."""
    collection = KINDS[kind]
    problem = check_id(ident)
    if problem:
        raise ScaffoldError(f"{ident!r} is not a valid id: {problem}")
    root = Path(content)
    path = root / collection.name / f"{ident}.yaml"
    library = _library(root)
    if path.exists() or (library is not None and ident in library.ids(collection)):
        raise ScaffoldError(
            f"a {collection.singular} with id {ident!r} exists already ({path}); choose"
            " another id, or edit that file"
        )
    if title is not None:
        _checked("--title", title)
    day = today or datetime.date.today()
    text = "\n".join(_SKELETONS[kind](ident, title, day, library)) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # never over a file made meanwhile
        handle.write(text)
    todo = tuple(
        f"{number}: {line.strip()}"
        for number, line in enumerate(text.splitlines(), start=1)
        if _placeholder(line)
    )
    return NewEntry(path=path, todo=todo)


def _placeholder(line: str) -> bool:
    # What the placeholder check reports: TODO in a value, or a comment that starts with it.
    value, _, comment = line.partition("#")
    return "TODO" in value or comment.lstrip().startswith("TODO")


def _library(root: Path) -> Library | None:
    # The ids that exist, to refuse a taken one and to name real cautions and disclaimers;
    # a skeleton can still be made while other content is broken.
    try:
        return load(root)
    except SpikecontentError:
        return None


_REFUSED: Final = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\ufffe\uffff\ud800-\udfff]"
)
"""What the content may not hold (the loader's rule, and lone surrogates, which a command
line that is not UTF-8 gives and no file can hold)."""
_ESCAPED: Final = re.compile("[\x7f-\x9f\u2028\u2029]")
"""What JSON leaves raw but YAML reads as a line break (NEL) or a reader cannot see."""


def _checked(option: str, text: str) -> str:
    """``text``, or :class:`ScaffoldError` naming the first character the content would
    refuse, as ``validate`` would."""
    found = _REFUSED.search(text)
    if found:
        raise ScaffoldError(
            f"{option}: contains the control character U+{ord(found.group()):04X} at"
            f" position {found.start() + 1}; remove it: no channel can show it"
        )
    return text


def _quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar on one line. A JSON string is a YAML
    double-quoted one, with quotes, backslashes and C0 controls (``\\n``) escaped; the
    characters JSON leaves raw that YAML takes for a line break are escaped as well."""
    quoted = json.dumps(text, ensure_ascii=False)
    return _ESCAPED.sub(lambda found: f"\\u{ord(found.group()):04x}", quoted)


def _comment(text: str) -> str:
    """``text`` when it is safe as a one-line comment, else nothing."""
    return text if text.isprintable() else ""


Skeleton = Callable[[str, str | None, datetime.date, Library | None], list[str]]
"""Makes a skeleton's lines from the id (an article's slug), the title given, today and
the content there is (None when it does not load)."""


def _article(
    slug: str, title: str | None, day: datetime.date, library: Library | None
) -> list[str]:
    cautions = library.ids(CAUTIONS) if library else ()
    disclaimers = library.ids(DISCLAIMERS) if library else ()
    heading = _quoted(title) if title else '"TODO: the title readers see"'
    lines = [
        f"# {_comment(title or '') or slug}",
        "#",
        "# Made by `spikecontent new article`. Fill in every TODO (validate lists them), then",
        "# set status: published and published: (below). Prose fields are Markdown: paragraphs,",
        "# *emphasis*, lists, and links to site pages as [label](page:<id>) (ids in site.yaml).",
        f"slug: {slug}",
        "status: draft  # draft, review or published: only published articles are exported",
        f"title: {heading}",
        "description: TODO one or two sentences for search results and link previews",
        f"modified: {day.isoformat()}  # the day the text last changed",
        "# published: YYYY-MM-DD  # the day it goes public (its first feed entry); never guess",
        "# credits:  # who wrote, curated or reviewed it (ids from content/people/)",
        "#   - person: <id>",
        "#     role: author  # author, curator, reviewer or editor",
        "intro: |",
        "  TODO the opening paragraph: what the reader will learn, in plain words.",
        "# sections, research, evidence_table, user_reports, sleep, tips, faq, offer: see",
        "# docs/content-model.md and the flagship article for their shape.",
    ]
    if cautions:
        lines += [
            "cautions:",
            "  heading: Who should avoid it  # TODO: the heading readers see",
            "  items:  # TODO: keep only the cautions that apply to this article",
            *(f"    - {ident}" for ident in cautions),
        ]
    if disclaimers:
        lines.append(f"disclaimer: {disclaimers[0]}  # the disclaimer this article carries")
    return lines


def _study(ident: str, _: str | None, day: datetime.date, __: Library | None) -> list[str]:
    return [
        "# Made by `spikecontent new study`. Copy every value from the paper itself, and",
        "# leave an optional field out when the paper does not say: never estimate.",
        f"id: {ident}",
        f"year: {day.year}  # TODO: the year the paper was published",
        "design: exploratory  # TODO: as the authors call it: exploratory,",
        "  # pilot-study, pilot-randomized-trial, randomized-controlled-trial,",
        "  # training-study, observational, systematic-review or meta-analysis",
        "sample: {}  # TODO: n (the number of participants) and groups, from the paper",
        "intervention: TODO what participants did or used",
        "# population: who took part",
        "# comparator: what the intervention was compared with",
        "# duration: how long it ran",
        "outcomes:",
        "  - measure: TODO what was measured",
        "    kind: self-reported  # TODO: self-reported or physiological",
        "    result: TODO what the paper reports for it",
        "finding: TODO what it found, in plain language",
        "limitations:",
        "  - TODO its limits, including those its authors state",
        "# venue: the journal or publisher",
        "# authors: [Surname, Surname]  # as the paper lists them",
        "# et_al: true  # when the list above is cut short",
        "# title: the paper's title as published",
        "# doi: the DOI, e.g. 10.1155/2012/123456, only as the paper gives it",
        "# url: https://... where the paper can be read",
    ]


def _fixed(header: str, *fields: str) -> Skeleton:
    """A skeleton that is the same text for every entry but its id."""

    def skeleton(ident: str, _: str | None, __: datetime.date, ___: Library | None) -> list[str]:
        return [header, f"id: {ident}", *fields]

    return skeleton


_SKELETONS: Final[dict[str, Skeleton]] = {
    "article": _article,
    "study": _study,
    "caution": _fixed(
        "# Made by `spikecontent new caution`: who should avoid the product, what to do.",
        "applies_to: TODO who it is for, e.g. Pregnancy",
        "advice: TODO what they should do, e.g. talk to your doctor before use.",
    ),
    "person": _fixed(
        "# Made by `spikecontent new person`: someone credited on content.",
        "name: TODO their name as credited",
        "role: author  # TODO: author, curator, reviewer or editor",
        "# url: /about/<them> or https://... a page about them",
    ),
}
