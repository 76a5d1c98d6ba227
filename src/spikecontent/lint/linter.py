"""The linter: the rules applied to loaded content, to entries and to a single text;
findings placed at their ``file:line:col`` and filtered by the content's allowances."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path

import attrs

from spikecontent.diagnostics import ContentError, Diagnostic, format_path
from spikecontent.lint.findings_cache import FindingsCache
from spikecontent.lint.matching import Match, Matcher, find_matches
from spikecontent.lint.placeholders import placeholder_findings
from spikecontent.lint.retractions import undermined_citations
from spikecontent.lint.rule_files import load_rules
from spikecontent.lint.rules import Level, Rule, Scope
from spikecontent.lint.structure import article_inputs, article_issues, library_issues
from spikecontent.lint.texts import (
    Text,
    article_texts,
    content_texts,
    entity_texts,
    is_question,
)
from spikecontent.loading.allowances import ALLOW_KEY, Allowance
from spikecontent.loading.findings import Finding, place
from spikecontent.loading.loader import LINT_FOLDER, LoadedContent, LoadedEntry
from spikecontent.loading.source_map import Position, SourceMap, words_pattern
from spikecontent.model import ARTICLES, Article

__all__ = ["lint_content", "lint_entries", "lint_text", "project_rules"]


def project_rules(content: Path) -> tuple[Rule, ...]:
    """The rules for a content folder: packaged ones and its ``lint/`` folder's."""
    return load_rules(content / LINT_FOLDER)


def lint_content(
    loaded: LoadedContent,
    rules: tuple[Rule, ...],
    *,
    wording: Iterable[tuple[Text, SourceMap]] = (),
    cache: FindingsCache | None = None,
) -> list[Diagnostic]:
    """Every finding in valid content, and in ``wording`` (texts from outside the content,
    such as what export profiles add, each with the source map of the file that holds it),
    sorted by file and position. With ``cache`` (made under these ``rules``), an article,
    or another file, whose files are unchanged is not linted again."""
    linter = _Linter(rules, loaded)
    library = loaded.library
    findings: list[Diagnostic] = []
    others = list(content_texts(library, articles=False))
    by_file: dict[str, tuple[SourceMap, list[Text]]] = {}
    for text in others:
        source = loaded.source_maps[text.entry]
        by_file.setdefault(source.file, (source, []))[1].append(text)
    for text, source in wording:
        by_file.setdefault(source.file, (source, []))[1].append(text)
    # Texts outside articles (studies, cautions, the site, profile wording) are as many as
    # their files, whatever the number of articles: each file's findings are kept like an
    # article's, under its text and the very texts read from it.
    for source, texts in by_file.values():
        read = (f"{t.entry}\0{t.path}\0{t.scope.value}\0{t.text}" for t in texts)
        findings.extend(_kept(cache, [source], read, partial(linter.file_findings, source, texts)))
    for article in library.articles:
        key = ARTICLES.key_of(article)
        sources = [loaded.source_maps[k] for k in (key, *article_inputs(article))]
        # The lead picture's size is checked too: its bytes are no source file of ours.
        pictures = [article.image.digest or ""] if article.image is not None else []
        findings.extend(_kept(cache, sources, pictures, partial(linter.article_findings, article)))
    findings.extend(map(linter.placed_issue, library_issues(library, others)))
    undermined = undermined_citations(library, loaded.evidence_lock)
    findings.extend(map(linter.placed_issue, undermined))
    findings.extend(placeholder_findings(loaded))
    if cache is not None:
        cache.save()
    known = {rule.id for rule in rules} | {finding.rule for finding in findings}
    return _allowed(sorted(set(findings), key=Diagnostic.order), loaded.allowances.values(), known)


def _kept(
    cache: FindingsCache | None,
    sources: Sequence[SourceMap],
    extra: Iterable[str],
    lint: Callable[[], Iterable[Diagnostic]],
) -> list[Diagnostic]:
    """What ``lint`` finds, or what ``cache`` kept from the same ``sources`` and ``extra``
    (read only when there is a cache)."""
    if cache is None:
        return list(lint())
    key = cache.key(sources, extra)
    found = cache.get(key)
    if found is None:
        found = list(lint())
        cache.put(key, found)
    return found


class _Linter:
    """Matches texts against the rules and places every finding in its file."""

    def __init__(self, rules: tuple[Rule, ...], loaded: LoadedContent) -> None:
        self._matchers = {scope: Matcher(_in_scope(rules, scope)) for scope in Scope}
        self._loaded = loaded
        # The same words in the same scope match the same way: articles share FAQ answers,
        # tips and whole paragraphs, so each distinct text is matched once.
        self._matched: dict[tuple[Scope, str], list[Match]] = {}

    def text_findings(self, text: Text, source: SourceMap) -> list[Diagnostic]:
        key = (text.scope, text.text)
        matched = self._matched.get(key)
        if matched is None:
            matched = self._matched[key] = list(self._matchers[text.scope].find(text.text))
        # (most texts have no finding: no generator is made for them)
        return [_placed(text, match, source) for match in matched] if matched else []

    def file_findings(self, source: SourceMap, texts: Iterable[Text]) -> Iterator[Diagnostic]:
        """The findings of ``texts``, all read from the file behind ``source``."""
        for text in texts:
            yield from self.text_findings(text, source)

    def article_findings(self, article: Article) -> Iterator[Diagnostic]:
        """The findings of one article's texts and of its structural checks."""
        source = self._loaded.source_maps[ARTICLES.key_of(article)]
        texts = list(article_texts(article))
        for text in texts:
            found = self.text_findings(text, source)
            if found:
                yield from found
        # (structural findings are placed like any other, so allowances apply to them too)
        yield from map(self.placed_issue, article_issues(self._loaded.library, article, texts))

    def placed_issue(self, finding: Finding) -> Diagnostic:
        """A structural finding at its place in its entry's file."""
        assert finding.entry is not None  # the structural checks name the entry
        related = self._loaded.source_maps[finding.related[0]] if finding.related else None
        return place(finding, self._loaded.source_maps[finding.entry], related=related)


def _allowed(
    findings: list[Diagnostic], allowances: Iterable[tuple[Allowance, ...]], known: set[str]
) -> list[Diagnostic]:
    """``findings`` with those a ``lint_allow`` waives marked allowed, and an error for
    every allowance that waives nothing (a typo, or a claim since rewritten)."""
    by_place: dict[tuple[str, str, str], list[Allowance]] = {}
    for group in allowances:
        for allowance in group:
            by_place.setdefault((allowance.file, allowance.field, allowance.rule), []).append(
                allowance
            )
    used: set[int] = set()
    result = []
    for finding in findings:
        place = (finding.file, finding.field, finding.rule)
        waiver = next((a for a in by_place.get(place, ()) if a.waives(finding.excerpt)), None)
        if waiver is None or finding.level is Level.ALLOWED:
            result.append(finding)
            continue
        used.add(id(waiver))
        result.append(attrs.evolve(finding, level=Level.ALLOWED, reason=waiver.reason))
    unused = [a for place in by_place.values() for a in place if id(a) not in used]
    for allowance in sorted(unused, key=lambda a: (a.file, a.at)):
        close = difflib.get_close_matches(allowance.rule, sorted(known), n=1)
        if allowance.rule not in known and close:
            fix = f"did you mean {close[0]!r}?"
        else:
            fix = "remove the allowance, or correct its field to the one lint names"
        result.append(
            Diagnostic(
                file=allowance.file,
                line=allowance.at[0],
                col=allowance.at[1],
                rule="lint.unused-allowance",
                field=ALLOW_KEY,
                message=(
                    f"allows {allowance.rule!r} on {allowance.field!r}"
                    + (f" for {allowance.words!r}" if allowance.words else "")
                    + ", where lint finds nothing to allow"
                ),
                fix=fix,
            )
        )
    return sorted(result, key=Diagnostic.order)


def lint_entries(content: Path, entries: Sequence[LoadedEntry]) -> list[Diagnostic]:
    """The lint errors in the texts of ``entries``, the entries of ``content`` that loaded
    when the content as a whole did not (so that every mistake is reported at once): each
    text is matched against the rules as :func:`lint_content` does, and a ``lint_allow``
    waives as there. The checks across entries (a cited study's sample size, cautions,
    disclaimer) wait for content that loads: they need every reference resolved."""
    try:
        rules = project_rules(content)
    except ContentError as error:  # a rule file of the content's own that is wrong
        return list(error.diagnostics)
    matchers = {scope: Matcher(_in_scope(rules, scope)) for scope in Scope}
    found: list[Diagnostic] = []
    for entry in entries:
        for text in entity_texts(entry.key, entry.entity):
            for match in matchers[text.scope].find(text.text):
                finding = _placed(text, match, entry.source)
                waived = any(
                    (a.file, a.field, a.rule) == (finding.file, finding.field, finding.rule)
                    and a.waives(finding.excerpt)
                    for a in entry.allowances
                )
                if finding.level is Level.ERROR and not waived:
                    found.append(finding)
    return found


def lint_text(
    text: str, rules: tuple[Rule, ...], *, path: str = "<stdin>", scope: Scope = Scope.PROSE
) -> list[Diagnostic]:
    """Findings in plain text read as ``scope`` (article prose by default)."""
    findings: list[Diagnostic] = []
    for match in find_matches(text, _in_scope(rules, scope)):
        line = text.count("\n", 0, match.start) + 1
        col = match.start - (text.rfind("\n", 0, match.start) + 1) + 1
        findings.append(_finding(match, text, path, (line, col), ""))
    return findings


def _in_scope(rules: Iterable[Rule], scope: Scope) -> tuple[Rule, ...]:
    return tuple(rule for rule in rules if scope in rule.scope)


def _finding(match: Match, text: str, path: str, at: Position, field: str) -> Diagnostic:
    rule = match.rule
    words = text[match.start : match.end]
    replacement = match.replacement or ""
    assert rule.message is not None  # enabled rules have one (checked when loaded)
    message = rule.message.replace("{match}", words).replace("{weighed}", match.weighed)
    return Diagnostic(
        file=path,
        line=at[0],
        col=at[1],
        rule=rule.id,
        level=match.level or rule.level,
        message=message,
        fix=(rule.suggestion or "").replace("{replacement}", replacement),
        link=rule.link,
        field=field,
        excerpt=words,
        status=match.status.value if match.status is not None else "",
        form=rule.form,
    )


_ANCHOR_WORDS = 6


def _anchor(words: str) -> str:
    """What of a finding's words is looked for in its file: the first few of a long one.
    Texts are read as published (a link's words without its target, ``&amp;`` as ``&``),
    so the longer the words, the likelier they span something written otherwise in the
    file; a sentence of the second opinion could then not be found, and was placed at its
    field's key, or at the same words in a later field."""
    split = words.split()
    return " ".join(split[:_ANCHOR_WORDS]) if len(split) > _ANCHOR_WORDS else words


def _placed(text: Text, match: Match, source: SourceMap) -> Diagnostic:
    words = _anchor(text.text[match.start : match.end])
    pattern = words_pattern(words)
    # The same words may come earlier in the field (negated there, say): point at this one.
    nth = len(pattern.findall(text.text, 0, match.start)) if pattern else 0
    position = source.find(text.path, words, nth)
    finding = _finding(match, text.text, source.file, position, format_path(text.path))
    if is_question(text) and finding.level is Level.ERROR:
        # A question asks in the customer's words; its answer is linted in full.
        finding = attrs.evolve(finding, level=Level.WARNING)
    return finding
