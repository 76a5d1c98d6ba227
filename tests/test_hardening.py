"""Hardening: what an editor of templates or content, or a web server reading the output,
must not be able to break."""

from __future__ import annotations

import csv
import fcntl
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import spikecontent
from spikecontent import ContentError, ExportReport
from spikecontent.api import create_api
from spikecontent.cli import app
from spikecontent.pipeline import OutputBusy
from spikecontent.store.generations import private_folder
from tests.conftest import ARTICLE, REPO, SLUG, Project
from tests.servers import Server

PAYLOAD = "{{ cycler.__init__.__globals__.os.popen('id').read() }}"


def test_a_template_override_cannot_reach_python(tmp_path: Path) -> None:
    project = Project(tmp_path)
    packaged = REPO / "src/spikecontent/writers/macros/templates/board.html"
    lines = packaged.read_text(encoding="utf-8").splitlines()
    lines.insert(2, PAYLOAD)  # the third line
    (project.exporters / "macros").mkdir()
    (project.exporters / "macros" / "board.html").write_text("\n".join(lines), encoding="utf-8")
    report = project.export(only=["macros"])
    (failure,) = report.failed
    assert failure.path == "macros/index.html"
    assert failure.cause.startswith("board.html:3: SecurityError:"), failure.cause
    assert not (project.out / "macros").exists()


@pytest.mark.parametrize(
    ("umask", "file_mode", "folder_mode"), [(0o022, 0o644, 0o755), (0o027, 0o640, 0o750)]
)
def test_exported_files_get_the_mode_the_umask_gives(
    tmp_path: Path, umask: int, file_mode: int, folder_mode: int
) -> None:
    project = Project(tmp_path)
    script = (
        f"import os; os.umask({umask}); import spikecontent;"
        f"r = spikecontent.export({str(project.content)!r}, exporters={str(project.exporters)!r},"
        f" out={str(project.out)!r}, only=['json']); assert r.ok"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
    # The load cache is the pipeline's own, not output: it stays readable by its owner only.
    exported = [
        p for p in project.out.rglob("*") if "cache" not in p.relative_to(project.out).parts
    ]
    files = [p for p in exported if p.is_file()]
    folders = [p for p in exported if p.is_dir()]
    assert files
    assert folders
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {file_mode}
    assert {stat.S_IMODE(p.stat().st_mode) for p in folders} == {folder_mode}


def test_a_csv_cell_never_starts_a_formula(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.add_faq(
        '    - id: formula\n      question: \'=HYPERLINK("https://evil.example","Click")\'\n'
        "      answer: Nothing to see here.\n"
    )
    assert project.export(only=["macros"]).ok
    with (project.out / "macros" / "macros.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = {row["id"]: row for row in csv.DictReader(f)}
    title = rows["acupressure-mat-benefits-faq-formula"]["title"]
    assert title == '\'=HYPERLINK("https://evil.example","Click")'
    cells = [cell for row in rows.values() for cell in row.values()]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_a_profile_with_drafts_does_not_publish_them_over_http(tmp_path: Path) -> None:
    project = Project(tmp_path).with_article("draft-article", title="A Draft")
    project.edit("articles/draft-article.yaml", "status: published", "status: draft")
    project.profile("json", 'writer = "json"\noutput = "json"\ndrafts = true\n')
    with Server(create_api(project.content, project.exporters, preview_token="t0ken")) as client:
        assert client.get("/articles/draft-article").status_code == 404
        assert "draft-article" not in client.get("/articles").text
        preview = client.get("/articles/draft-article", headers={"Authorization": "Bearer t0ken"})
        assert preview.status_code == 200


def test_two_exports_into_one_folder_never_write_at_once(tmp_path: Path) -> None:
    project = Project(tmp_path)
    assert project.export(only=["json"]).ok
    lock = private_folder(project.out) / "lock"
    project.edit(ARTICLE, "modified: 2026-07-04", "modified: 2026-07-05")
    with lock.open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a running export holds it
        with pytest.raises(OutputBusy, match="another export is writing into"):
            project.export(only=["json"])
        result = CliRunner().invoke(app, project.export_arguments("json"))
        assert result.exit_code == 1
        assert "--wait" in result.stderr
        waiting = threading.Thread(
            target=lambda: reports.append(project.export(only=["json"], wait=True))
        )
        reports: list[ExportReport] = []
        waiting.start()
        time.sleep(0.5)
        assert reports == []  # still waiting for the lock
    waiting.join(30)
    (report,) = reports
    assert report.ok
    assert f"json/articles/{SLUG}.json" in report.written


BOMB = "a0: &a0 [x]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)
)
YAML_CASES = {
    "alias bomb": (BOMB, "anchors and aliases"),
    "5000-digit integer": ("year: " + "9" * 5000 + "\n", "a number too long"),
    "10,000 nested brackets": ("x: " + "[" * 10000 + "]" * 10000 + "\n", "nested"),
    "2,000 nested mappings": ("".join(" " * i + f"k{i}:\n" for i in range(2000)), "nested"),
    "a null key": ("~: 1\n", "a key must be a plain name"),
    "a 200,000-character value": ("title: " + "a" * 200_000 + "\n", "more than 100,000"),
}


@pytest.mark.parametrize("case", sorted(YAML_CASES))
def test_hostile_yaml_is_an_error_at_its_place(tmp_path: Path, case: str) -> None:
    text, message = YAML_CASES[case]
    project = Project(tmp_path)
    (project.content / "studies" / "kisker-2024.yaml").write_text(text, encoding="utf-8")
    started = time.monotonic()
    result = CliRunner().invoke(app, ["validate", str(project.content)])
    assert time.monotonic() - started < 10
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "kisker-2024.yaml:" in result.stderr
    assert message in result.stderr


TOML_CASES = {
    "5000-digit integer": ('writer = "json"\n[options]\nindent = ' + "9" * 5000 + "\n", "too long"),
    "deep nesting": ('writer = "json"\nx = ' + "[" * 5000 + "]" * 5000 + "\n", "nested"),
}


@pytest.mark.parametrize("case", sorted(TOML_CASES))
def test_hostile_toml_is_an_error_not_a_traceback(tmp_path: Path, case: str) -> None:
    text, message = TOML_CASES[case]
    project = Project(tmp_path).profile("json", text)
    with pytest.raises(ContentError) as caught:
        project.export(only=["json"])
    (problem,) = [d for d in caught.value.diagnostics if d.file.endswith("json.toml")]
    assert message in problem.message


def test_leftovers_of_a_killed_export_are_removed_by_the_next(tmp_path: Path) -> None:
    project = Project(tmp_path)
    assert project.export(only=["json"]).ok
    # A killed export leaves its unfinished generation (never seen through the output
    # folder) and perhaps a load-cache entry half written.
    unfinished = private_folder(project.out) / "generations" / "000099"
    leftovers = [
        unfinished / "json" / "index.json",
        unfinished / "json" / "articles" / f".{SLUG}.json.abcdefgh.tmp",
        private_folder(project.out) / "cache" / "tmpq1w2e3r4.tmp",
    ]
    for path in leftovers:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half")
    # Not a name the export makes: the clean-up leaves it (in the private folder; under
    # the output folder a new generation holds only what its manifest names).
    kept = private_folder(project.out) / "cache" / "notes.tmp"
    kept.write_bytes(b"mine")
    project.edit(ARTICLE, "modified: 2026-07-04", "modified: 2026-07-05")
    assert project.export(only=["json"]).ok
    assert not any(path.exists() for path in leftovers)
    assert not unfinished.exists()
    assert kept.exists()


def test_sigterm_ends_an_export_as_ctrl_c_does(tmp_path: Path) -> None:
    project = Project(tmp_path)
    for number in range(12):
        project.with_article(f"copy-{number}")
    folders = ["--content", str(project.content), "--exporters", str(project.exporters)]
    command = [sys.executable, "-m", "spikecontent", "export", *folders]
    command += ["--out", str(project.out), "--only", "pdf", "--jobs", "1"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    assert process.stderr is not None
    for line in process.stderr:  # wait until rendering has begun
        if line.startswith(b"rendered "):
            break
    process.send_signal(signal.SIGTERM)
    _, error = process.communicate(timeout=60)
    assert process.returncode == 130
    assert b"Interrupted: nothing was written" in error
    assert b"Traceback" not in error
    assert not list(project.out.rglob("*.pdf"))
    assert not list(project.out.rglob("*.tmp"))


def test_links_out_of_the_content_and_profiles_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n" * 50, encoding="utf-8")
    project = Project(tmp_path / "project")
    (project.content / "studies" / "passwd.yaml").symlink_to(secret)
    (project.exporters / "leak.toml").symlink_to(secret)
    (project.exporters / "macros").mkdir()
    (project.exporters / "macros" / "board.html").symlink_to(secret)
    with pytest.raises(ContentError) as caught:
        project.export(only=["macros"])
    messages = {Path(d.file).name: d.message for d in caught.value.diagnostics}
    assert messages["passwd.yaml"] == "a link to a file outside the content folder"
    assert messages["leak.toml"] == "a link to a file outside the profiles folder"
    assert "root:x" not in str(caught.value)
    (project.content / "studies" / "passwd.yaml").unlink()
    (project.exporters / "leak.toml").unlink()
    (failure,) = project.export(only=["macros"]).failed
    assert "links outside" in failure.cause
    assert "root:x" not in failure.cause


def test_a_message_quotes_an_excerpt_never_a_whole_file(tmp_path: Path) -> None:
    project = Project(tmp_path)
    (project.content / "studies" / "long.yaml").write_text("x" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        project.export(only=["json"])
    (problem,) = caught.value.diagnostics
    assert len(problem.message) < 120
    assert problem.message.endswith("…'")


def _project_rule(project: Project, pattern: str) -> None:
    (project.content / "lint").mkdir()
    (project.content / "lint" / "house.yaml").write_text(
        "rules:\n"
        "  - id: house\n"
        "    extends: existence\n"
        "    message: \"'{match}' is ours\"\n"
        "    tokens:\n"
        f"      - '{pattern}'\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    "pattern", ["(a+)+b", "(?:.*a){12}c", "(?:a|a?)+c", "(?:(?:a{1,9}){1,9}){1,9}c"]
)
def test_a_project_rule_cannot_hang_lint(tmp_path: Path, pattern: str) -> None:
    """Patterns that make a backtracking engine take exponential time run on RE2: lint
    of a text built to trigger them ends (Python's engine would take hours on it)."""
    project = Project(tmp_path)
    _project_rule(project, pattern)
    project.edit(ARTICLE, "It depends what you mean by work.", "It depends. " + "a" * 40 + ".")
    command = [sys.executable, "-m", "spikecontent", "lint", str(project.content)]
    # A hang shows as TimeoutExpired, not as a slow pass: no figure of speed is asserted.
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_a_project_rule_that_re2_cannot_run_is_refused_at_its_line(tmp_path: Path) -> None:
    project = Project(tmp_path)
    _project_rule(project, "cures(?! nothing)")
    with pytest.raises(ContentError) as caught:
        project.export(only=["json"])
    (problem,) = caught.value.diagnostics
    assert (Path(problem.file).name, problem.line, problem.col) == ("house.yaml", 6, 9)
    assert "cannot run on RE2" in problem.message
    assert "look-arounds" in problem.fix


def test_a_project_rule_matches_whole_words_on_re2(tmp_path: Path) -> None:
    project = Project(tmp_path)
    _project_rule(project, "ni(?:ce|cer)")
    project.edit(ARTICLE, "It depends what you mean by work.", "Nicer nicely, nice-ish, nice.")
    with pytest.raises(ContentError) as caught:
        project.export(only=["json"])
    found = [d.excerpt for d in caught.value.diagnostics if d.rule == "house"]
    assert found == ["Nicer", "nice"]  # not "nicely", nor "nice" before a hyphen


@pytest.mark.parametrize("target", ["/etc/passwd", "/dev/zero"])
def test_a_rule_file_linked_out_of_the_content_is_refused(tmp_path: Path, target: str) -> None:
    project = Project(tmp_path)
    (project.content / "lint").mkdir()
    (project.content / "lint" / "outside.yaml").symlink_to(target)
    with pytest.raises(ContentError) as caught:
        project.export(only=["json"])
    (problem,) = caught.value.diagnostics
    assert problem.file.endswith("outside.yaml")
    assert "outside the content folder" in problem.message
    assert "root:" not in problem.message


def test_an_oversized_rule_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    project = Project(tmp_path)
    (project.content / "lint").mkdir()
    (project.content / "lint" / "big.yaml").write_text("# " + "x" * 3_000_000, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        project.export(only=["json"])
    (problem,) = caught.value.diagnostics
    assert "more than 2,097,152" in problem.message


@pytest.mark.parametrize("path", ["/openapi/swagger", "/openapi/redoc", "/openapi/nothing"])
def test_every_error_the_api_sends_is_json(path: str) -> None:
    with Server(create_api(REPO / "content", REPO / "exporters")) as client:
        response = client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/json"
        assert response.json() == {"error": "not found", "detail": "no such path"}
        head = client.head(path)
        assert head.status_code == 404
        assert head.content == b""


def test_a_line_separator_in_content_is_an_error_at_its_place(tmp_path: Path) -> None:
    project = Project(tmp_path)
    # Written as a YAML escape: a raw U+2028 is a line break to YAML itself.
    line = project.edit(
        ARTICLE,
        "question: Do acupressure mats work?",
        'question: "Do acupressure\\u2028mats work?"',
    )
    with pytest.raises(ContentError) as caught:
        project.export(only=["macros"])
    (problem,) = caught.value.diagnostics
    assert (problem.line, problem.field) == (line, "faq.items[0].question")
    assert "U+2028" in problem.message


@pytest.mark.parametrize(
    ("relative", "old", "new", "field"),
    [
        ("studies/hohmann-2012.yaml", "n: 42", "n: " + "1" + "0" * 30, "sample.n"),
        (
            "offers/spikerest-mat-standard.yaml",
            "money_back_days: 30",
            "money_back_days: 100000000000000000000",
            "money_back_days",
        ),
        ("offers/spikerest-mat-standard.yaml", "price: 34.99", "price: 34000000.99", "price"),
    ],
)
def test_absurd_numbers_are_errors_at_their_place(
    tmp_path: Path, relative: str, old: str, new: str, field: str
) -> None:
    project = Project(tmp_path)
    line = project.edit(relative, old, new)
    with pytest.raises(ContentError) as caught:
        project.export(only=["json"])
    (problem,) = caught.value.diagnostics
    assert (problem.line, problem.field) == (line, field)
    assert "at most" in problem.message or "more than" in problem.message


def test_a_profile_cannot_write_over_the_manifest(tmp_path: Path) -> None:
    project = Project(tmp_path).profile("json", 'writer = "json"\noutput = "manifest.json"\n')
    with pytest.raises(ContentError) as caught:
        project.export(only=["json"])
    (problem,) = caught.value.diagnostics
    assert (Path(problem.file).name, problem.line, problem.field) == ("json.toml", 2, "output")
    assert not project.out.exists()


def test_a_macro_id_that_would_overwrite_all_txt_is_refused_with_the_right_fix(
    tmp_path: Path,
) -> None:
    project = Project(tmp_path)
    profile = project.exporters / "macros.toml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace('id = "{article}-offer"', 'id = "all"'), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        project.export(only=["macros"])
    (problem,) = caught.value.diagnostics
    assert problem.field.endswith(".id")
    assert "all.txt" in problem.message
    assert problem.fix == "choose another id"


_NO_READ_OVERRIDE = (
    "setpriv",
    "--bounding-set",
    "-dac_override,-dac_read_search",
    "--inh-caps",
    "-dac_override,-dac_read_search",
    "--",
)
"""As root: run without the capabilities that read any file whatever its permissions."""

_LOAD = (
    "import sys, spikecontent\n"
    "try:\n"
    "    spikecontent.load(sys.argv[1])\n"
    "except spikecontent.ContentError as error:\n"
    "    sys.exit(str(error))\n"
)


def _where_permissions_apply(project: Project, locked: Path) -> tuple[str, ...]:
    """The command prefix under which ``locked`` (mode 000) cannot be read: none for a
    user, setpriv dropping the override for root; a skip where neither is possible."""
    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: every file is readable")
    reader = "ls" if locked.is_dir() else "cat"
    probe = subprocess.run(
        [*_NO_READ_OVERRIDE, reader, str(locked)], capture_output=True, check=False
    )
    if probe.returncode == 0:
        pytest.skip("running as root, and setpriv cannot drop the capability to read any file")
    return _NO_READ_OVERRIDE


def _run_unable_to_read(
    project: Project, locked: Path, arguments: list[str]
) -> subprocess.CompletedProcess[str]:
    """``arguments`` run in ``project`` while ``locked`` (mode 000) cannot be read."""
    locked.chmod(0)
    try:
        prefix = _where_permissions_apply(project, locked)
        cache = project.root / ".test-cache"
        return subprocess.run(
            [*prefix, *arguments],
            cwd=project.root,
            env={**os.environ, "XDG_CACHE_HOME": str(cache), "COLUMNS": "200"},
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
    finally:
        locked.chmod(0o755 if locked.is_dir() else 0o644)


@pytest.mark.parametrize(
    "command",
    [["validate"], ["validate", "--no-lint"], ["list"], ["lint"], ["export"], ["load()"]],
    ids=" ".join,
)
@pytest.mark.parametrize(
    ("locked", "said"),
    [
        ("cautions/pregnancy.yaml", "cautions/pregnancy.yaml: cannot read: permission denied"),
        ("studies", "studies: cannot read: permission denied"),
    ],
)
def test_an_unreadable_file_or_folder_is_an_error_at_it_not_a_traceback(
    tmp_path: Path, command: list[str], locked: str, said: str
) -> None:
    project = Project(tmp_path)
    if command == ["load()"]:
        arguments = [sys.executable, "-c", _LOAD, "content"]
    else:
        arguments = [sys.executable, "-m", "spikecontent", *command]
    result = _run_unable_to_read(project, project.content / locked, arguments)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert "Error" not in output  # no exception's name
    (line,) = [line for line in output.splitlines() if said in line]
    assert "(fix: " in line
    assert "no study with id" not in output  # a folder not read is not read as empty


def test_an_image_link_loop_is_an_error_at_its_field(tmp_path: Path) -> None:
    project = Project(tmp_path)
    images = project.content / "images"
    images.mkdir()
    (images / "a.png").symlink_to("b.png")
    (images / "b.png").symlink_to("a.png")
    project.edit(
        "site.yaml", "timezone: UTC", "timezone: UTC\nmedia_url: https://media.example.com/"
    )
    product = project.content / "products" / "spikerest-mat.yaml"
    with product.open("a", encoding="utf-8") as file:
        file.write("image:\n  file: images/a.png\n  alt: A mat\n")
    with pytest.raises(ContentError) as caught:
        spikecontent.load(project.content)
    (problem,) = caught.value.diagnostics
    assert (problem.file, problem.field) == (str(product), "image.file")
    assert problem.message == "cannot read: a symbolic link that leads back to itself"
    assert "point the link at a real file" in problem.fix


def _errors(content: Path) -> tuple[spikecontent.Diagnostic, ...]:
    with pytest.raises(ContentError) as caught:
        spikecontent.load(content)
    return caught.value.diagnostics


@pytest.mark.parametrize("text", ["", "# to be written\n", "---\n"])
def test_an_empty_entity_file_is_one_error_not_also_a_missing_id(tmp_path: Path, text: str) -> None:
    project = Project(tmp_path)
    (project.content / "cautions" / "damaged-skin.yaml").write_text(text, encoding="utf-8")
    (error,) = _errors(project.content)
    assert error.file == str(project.content / "cautions" / "damaged-skin.yaml")
    assert error.message.startswith("expected a mapping of fields")


def test_files_that_look_meant_to_be_read_are_reported_not_ignored(tmp_path: Path) -> None:
    content = Project(tmp_path).content
    (content / "studies" / "dangling.yaml").symlink_to("gone.yaml")
    (content / "studies" / "loop.yaml").symlink_to("loop.yaml")
    (content / "people" / "maya-ellison.yaml").rename(content / "people" / "maya.YAML")
    found = {Path(d.file).name: (d.message, d.fix) for d in _errors(content)}
    assert found == {
        "dangling.yaml": (
            "a link to 'gone.yaml', which does not exist",
            "point the link at a real file, or remove it",
        ),
        "loop.yaml": (
            "cannot read: a symbolic link that leads back to itself",
            "point the link at a real file, or replace the link with the file itself",
        ),
        "maya.YAML": (
            "not read: only names ending in .yaml or .yml are",
            "rename it to maya.yaml",
        ),
    }


def test_a_file_where_a_collection_folder_should_be_is_reported(tmp_path: Path) -> None:
    content = Project(tmp_path).content
    shutil.rmtree(content / "offers")
    (content / "offers").write_text("price: 3\n", encoding="utf-8")
    (error,) = _errors(content)  # not also every reference to an offer
    assert (error.file, error.message) == (
        str(content / "offers"),
        "a file where the folder offers/ should be",
    )
    assert "make offers/ a folder" in error.fix


STUDY = "studies/hohmann-2012.yaml"


def _position_of(content: Path, relative: str) -> tuple[int | None, int | None, str, str]:
    (error,) = [d for d in _errors(content) if d.file == str(content / relative)]
    return error.line, error.col, error.message, error.fix


@pytest.mark.parametrize(
    ("written", "col", "said"),
    [
        (b"Caf\xe9", 16, "the byte 0xE9 ('\xe9' in Latin-1 or Windows-1252) is not UTF-8"),
        (b"Caf\x92s", 16, "the byte 0x92 ('\u2019' in Latin-1 or Windows-1252) is not UTF-8"),
        (b"Caf\xc3\xa9 and \x07", 22, "the character U+0007 is not allowed in YAML"),
    ],
)
def test_a_byte_yaml_refuses_is_reported_at_its_line_and_column(
    tmp_path: Path, written: bytes, col: int, said: str
) -> None:
    content = Project(tmp_path).content
    path = content / "cautions" / "pregnancy.yaml"
    path.write_bytes(b"id: pregnancy\napplies_to: " + written + b"\nadvice: ask.\n")
    line, column, message, fix = _position_of(content, "cautions/pregnancy.yaml")
    assert (line, column) == (2, col)
    assert said in message
    assert ("UTF-8" in fix) == (b"\x07" not in written)


def test_a_line_separator_yaml_breaks_at_is_placed_as_an_editor_shows_it(
    tmp_path: Path,
) -> None:
    project = Project(tmp_path)
    venue = project.edit(STUDY, "venue: Evidence-Based", "venue: Evidence\u2028Based")
    line, col, message, fix = _position_of(project.content, STUDY)
    assert (line, col) == (venue, len("venue: Evidence") + 1)
    assert message.startswith("invalid YAML: a line separator (U+2028)")
    assert "remove the U+2028" in fix


def test_positions_after_a_quoted_line_separator_are_an_editors(tmp_path: Path) -> None:
    project = Project(tmp_path)
    venue = project.edit(STUDY, "venue: Evidence-Based", 'venue: "Evidence\u2028Based')
    project.edit(STUDY, "Alternative Medicine\n", 'Alternative Medicine"\n')
    et_al = project.edit(STUDY, "et_al: true", "et_al: 'yes'")
    found = {(d.line, d.field) for d in _errors(project.content)}
    assert found == {(venue, "venue"), (et_al, "et_al")}


@pytest.mark.parametrize("quote", ['"', "'"])
def test_a_quote_never_closed_is_reported_where_it_opens(tmp_path: Path, quote: str) -> None:
    project = Project(tmp_path)
    venue = project.edit(STUDY, "venue: Evidence", f"venue: {quote}Evidence")
    line, col, message, fix = _position_of(project.content, STUDY)
    assert (line, col) == (venue, len("venue: ") + 1)
    assert (
        message == f"invalid YAML: the quoted value that starts here with {quote} is never closed"
    )
    assert fix == f"end the value with {quote}, or remove the {quote} at its start"


def test_an_open_bracket_at_the_end_is_reported_inside_the_file(tmp_path: Path) -> None:
    project = Project(tmp_path)
    path = project.content / STUDY
    path.write_text(path.read_text(encoding="utf-8") + "extra: [1, 2\n", encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    line, col, _, _ = _position_of(project.content, STUDY)
    assert (line, col) == (len(lines), len("extra: ["))


def test_a_profile_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    project = Project(tmp_path)
    profile = project.exporters / "json.toml"
    profile.write_bytes(b"\xef\xbb\xbf" + profile.read_bytes())
    assert project.export(only=["json"]).ok


def test_a_file_made_unreadable_after_a_clean_validate_is_reported(tmp_path: Path) -> None:
    project = Project(tmp_path)
    target = project.content / "cautions" / "pregnancy.yaml"
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def validate(prefix: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
        arguments = [*prefix, sys.executable, "-m", "spikecontent", "validate", "--no-lint"]
        return subprocess.run(
            arguments,
            cwd=project.root,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )

    target.chmod(0)
    try:
        prefix = _where_permissions_apply(project, target)
    finally:
        target.chmod(0o644)
    assert validate(prefix).returncode == 0  # its stamp is kept
    target.chmod(0)  # the same stamp: inode, size and time are unchanged
    try:
        result = validate(prefix)
    finally:
        target.chmod(0o644)
    assert result.returncode == 1, result.stdout
    assert "pregnancy.yaml: cannot read: permission denied" in result.stderr


@pytest.mark.parametrize("command", ["validate", "lint"])
@pytest.mark.parametrize(
    ("name", "text"),
    [("evidence.lock.yaml", "studies: {}\n"), ("lint/house.yaml", "rules: []\n")],
)
def test_an_unreadable_lock_or_rule_file_is_an_error_at_it_not_a_traceback(
    tmp_path: Path, command: str, name: str, text: str
) -> None:
    project = Project(tmp_path)
    locked = project.content / name
    locked.parent.mkdir(exist_ok=True)
    locked.write_text(text, encoding="utf-8")
    result = _run_unable_to_read(project, locked, [sys.executable, "-m", "spikecontent", command])
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output
    (line,) = [line for line in output.splitlines() if f"{name}" in line and "cannot read" in line]
    assert "cannot read: permission denied (fix: " in line
