"""Random sequences of edits (add, change, rename and delete an article; change a
profile; add and change a picture), each exported by what a new process has (the store:
the graph's input stamps, the load cache, remembered values, composed files' parts) and
compared with a fresh export of the same content into an empty folder."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from spikecontent.loading.cache import forget_resident
from spikecontent.pipeline.remembered import forget_remembered
from spikecontent.store.file_digests import forget_file_digests
from tests.conftest import ARTICLE, Project
from tests.pictures import ico, with_icon

WRITERS = ("json", "jsonld", "rss", "macros", "html", "media")
KINDS = ("change", "add", "rename", "delete", "profile", "picture")
ICON = "images/favicon.ico"


class _Edits:
    """Applies edits to one project, each meaningful whatever came before."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.answer = "It depends what you mean by work."
        self.sign_off = "Best wishes,"
        self.extra: list[str] = []
        self.made = 0
        self.icon = False

    def apply(self, kind: str) -> None:
        self.made += 1
        number = self.made
        if kind == "delete" and self.extra:
            (self._file(self.extra.pop(0))).unlink()
        elif kind == "rename" and self.extra:
            old, new = self.extra.pop(0), f"renamed-{number}"
            text = self._file(old).read_text(encoding="utf-8")
            self._file(new).write_text(text.replace(f"slug: {old}\n", f"slug: {new}\n"), "utf-8")
            self._file(old).unlink()
            self.extra.append(new)
        elif kind in {"add", "delete", "rename"}:
            self.project.with_article(f"extra-{number}", title=f"Extra {number}")
            self.extra.append(f"extra-{number}")
        elif kind == "change":
            answer = f"It depends on the aim ({number})."
            self.project.edit(ARTICLE, self.answer, answer)
            self.answer = answer
        elif kind == "profile":
            path = self.project.exporters / "macros.toml"
            sign_off = f"Kind regards ({number}),"
            path.write_text(path.read_text("utf-8").replace(self.sign_off, sign_off), "utf-8")
            self.sign_off = sign_off
        elif self.icon:
            (self.project.content / ICON).write_bytes(ico(16, 16 + number))
        else:
            with_icon(self.project.content, ICON, ico(16, 32))
            self.icon = True

    def _file(self, slug: str) -> Path:
        return self.project.content / "articles" / f"{slug}.yaml"


def _files(out: Path) -> dict[str, bytes]:
    root = out.resolve()
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _as_a_new_process() -> None:
    forget_resident()
    forget_remembered()
    forget_file_digests()


@settings(
    max_examples=4,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: each step is two exports
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(st.sampled_from(KINDS), min_size=2, max_size=3))
def test_random_edits_export_as_a_fresh_export_does(kinds: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = Project(Path(folder))
        edits = _Edits(project)
        _as_a_new_process()
        assert project.export(only=WRITERS).ok
        for step, kind in enumerate(kinds):
            edits.apply(kind)
            _as_a_new_process()
            report = project.export(only=WRITERS)
            assert report.ok, (kinds[: step + 1], report.failed)
            _as_a_new_process()
            fresh = project.export(only=WRITERS, out=f"fresh-{step}")
            assert fresh.ok
            assert _files(project.out) == _files(fresh.out), kinds[: step + 1]
