"""Shared fixtures: the real content folder, a writable copy to break on purpose, and
:class:`Project`, the one builder of test projects (content, profiles, an output folder)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from playwright.sync_api import Browser, sync_playwright

import spikecontent
from spikecontent import ContentError, Diagnostic, ExportReport
from spikecontent.lint import Level, Rule, lint_text, load_rules
from spikecontent.lint.rules import Kind
from spikecontent.pipeline import Registry

# No property test has a time limit: speed is measured in benchmarks/, never asserted,
# and a CI machine under load (a full suite beside other work took 270 ms for a 200 ms
# example) is no failure of the code.
settings.register_profile("spikecontent", deadline=None)
settings.load_profile("spikecontent")

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
SEED = REPO / "tests" / "fixtures" / "acupressure-mat-benefits.txt"
"""A copy of the seed page the content was encoded from (the original lives in shared/)."""
SHARED_SEED = REPO.parent / "shared" / "seed" / "acupressure-mat-benefits.txt"
CHROMIUM = Path("/usr/bin/chromium")
NEEDS_CHROMIUM = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (./run.sh test installs it)"
)
SLUG = "acupressure-mat-benefits"
ARTICLE = f"articles/{SLUG}.yaml"
FLAGSHIP_TITLE = "title: 'Acupressure Mat Benefits: What the Research Really Says'"


class Project:
    """A writable project in ``root``: copies of ``content/`` and ``exporters/`` and an
    output folder ``root/dist``. Builder methods return the project, so a test reads as
    ``Project(tmp_path).with_article("second").profile("echo", ...).export(only=["echo"])``.
    """

    def __init__(self, root: Path, *, registry: Registry | None = None) -> None:
        self.root = root
        self.content = root / "content"
        self.exporters = root / "exporters"
        self.out = root / "dist"
        self.registry = registry
        shutil.copytree(CONTENT, self.content)
        shutil.copytree(REPO / "exporters", self.exporters)

    def with_article(self, slug: str, *, title: str | None = None, extra: str = "") -> Project:
        """Add a copy of the flagship article under ``slug`` (and ``title``), with the
        YAML lines ``extra`` after its slug."""
        text = (self.content / ARTICLE).read_text(encoding="utf-8")
        text = text.replace(f"slug: {SLUG}", f"slug: {slug}{extra}")
        if title is not None:
            text = text.replace(FLAGSHIP_TITLE, f"title: '{title}'")
        (self.content / "articles" / f"{slug}.yaml").write_text(text, encoding="utf-8")
        return self

    def profile(self, name: str, text: str) -> Project:
        """Write the export profile ``exporters/<name>.toml``."""
        (self.exporters / f"{name}.toml").write_text(text, encoding="utf-8")
        return self

    def option(self, profile: str, line: str) -> Project:
        """Add the TOML ``line`` at the top of ``profile``'s ``[options]`` table."""
        path = self.exporters / f"{profile}.toml"
        text = path.read_text(encoding="utf-8")
        assert text.count("[options]\n") == 1
        path.write_text(text.replace("[options]\n", f"[options]\n{line}\n"), encoding="utf-8")
        return self

    def without_profiles(self) -> Project:
        """Start ``exporters/`` empty: the writers' default profiles apply."""
        shutil.rmtree(self.exporters)
        self.exporters.mkdir()
        return self

    def edit(self, relative: str, old: str, new: str) -> int:
        """Replace ``old`` (which must occur once) by ``new`` in a content file; return
        the 1-based line where ``new`` starts."""
        path = self.content / relative
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} must occur once in {relative}"
        text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
        return text[: text.index(new)].count("\n") + 1

    def add_faq(self, entry: str, article: str = ARTICLE) -> Project:
        """Append FAQ entry YAML to ``article``'s FAQ (the last part before revisions)."""
        self.edit(article, "\nrevisions:", f"{entry}\nrevisions:")
        return self

    def add_revision(self, slug: str, date: str, summary: str) -> Project:
        """Append a revision (revisions are the last list of an article file)."""
        path = self.content / "articles" / f"{slug}.yaml"
        text = path.read_text(encoding="utf-8").rstrip("\n")
        path.write_text(f"{text}\n  - date: {date}\n    summary: {summary}\n", encoding="utf-8")
        return self

    def export(
        self, *, only: Iterable[str] = (), out: Path | str | None = None, **options: object
    ) -> ExportReport:
        """Export through the profiles ``only`` into ``out`` (default ``root/dist``; a
        relative name is taken inside ``root``), in this process unless ``jobs`` says.

        Name the profiles a test is about: without ``only`` every enabled profile runs
        (as the CLI does), so a new writer would run in that test too.
        """
        options.setdefault("jobs", 1)
        target = self.out if out is None else self.root / out
        return spikecontent.export(
            self.content,
            exporters=self.exporters,
            out=target,
            only=tuple(only),
            registry=self.registry,
            **options,  # type: ignore[arg-type]
        )

    def export_arguments(self, *only: str) -> list[str]:
        """The ``spikecontent export`` command line for this project's folders."""
        arguments = ["export", "--content", str(self.content), "--exporters", str(self.exporters)]
        arguments += ["--out", str(self.out)]
        for name in only:
            arguments += ["--only", name]
        return arguments

    def exported(self, writer_folder: str, *, only: Iterable[str], **options: object) -> Path:
        """Export (it must succeed) and return the output folder ``writer_folder``."""
        report = self.export(only=only, **options)
        assert report.ok, report.failed
        out = options.get("out")
        return (self.out if out is None else self.root / str(out)) / writer_folder


def pdf_profile(project: Project, options: str = "") -> Project:
    """Give ``project`` a pdf profile with ``options`` (TOML lines)."""
    return project.profile("pdf", f'writer = "pdf"\n[options]\n{options}\n')


@pytest.fixture
def leaflets(tmp_path: Path) -> Project:
    """A project with a pdf profile of the writer's default options."""
    return pdf_profile(Project(tmp_path))


@pytest.fixture(scope="session")
def shipped_rules() -> tuple[Rule, ...]:
    """The packaged lint rules, the learned second opinion among them, loaded once."""
    return load_rules()


@pytest.fixture(scope="session")
def rules(shipped_rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """The packaged pattern rules, without the learned second opinion: the tests that lint
    one sentence hold the rules' reading of it (its claim, status and level), which the
    second opinion never changes (tests/test_second_opinion.py holds that, and what it
    adds). Its own warnings are measured on published text, not on sentences written here."""
    return tuple(rule for rule in shipped_rules if rule.extends is not Kind.MODEL)


def finding_levels(text: str, rules: tuple[Rule, ...]) -> set[Level]:
    """The levels of the findings the lint gives ``text`` (read as article prose)."""
    return {finding.level for finding in lint_text(text, rules)}


@pytest.fixture(scope="session")
def library() -> spikecontent.Library:
    return spikecontent.load(CONTENT)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


Edit = Callable[[str, str, str], int]


@pytest.fixture
def edit(content_copy: Path) -> Edit:
    """Replace ``old`` by ``new`` in a content file; return the 1-based line of ``new``."""

    def apply(relative: str, old: str, new: str) -> int:
        path = content_copy / relative
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} must occur once in {relative}"
        text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
        return text[: text.index(new)].count("\n") + 1

    return apply


def errors_of(folder: Path) -> tuple[Diagnostic, ...]:
    with pytest.raises(ContentError) as caught:
        spikecontent.load(folder)
    return caught.value.diagnostics


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright: one per test module, because
    Playwright's sync API keeps an event loop running in the thread while it is open, and
    a later module's asyncio.run() would then fail (which tests run after a browser test
    depends on the order, and on how pytest-xdist shares the files out)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
