"""``spikecontent macros push`` against local fakes of each helpdesk's documented API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from spikecontent.cli import app
from spikecontent.push import Action, PushError, push
from spikecontent.push.client import Api
from tests.conftest import ARTICLE, Project
from tests.fake_helpdesks import FakeGorgias, FakeHelpdesk, FakeZendesk

EMAIL = "agent@spikerest.example"
TOKEN = "s3cret-token-value"
FAKES: dict[str, type[FakeHelpdesk]] = {"zendesk": FakeZendesk, "gorgias": FakeGorgias}


def user_of(target: str) -> str:
    # Zendesk's API-token auth puts "/token" after the email; Gorgias takes the email.
    return f"{EMAIL}/token" if target == "zendesk" else EMAIL


def environment(target: str, url: str) -> dict[str, str]:
    prefix = f"SPIKECONTENT_{target.upper()}"
    return {f"{prefix}_URL": url, f"{prefix}_EMAIL": EMAIL, f"{prefix}_TOKEN": TOKEN}


def fast_api(base_url: str, auth: Any) -> Api:
    return Api(base_url, auth, backoff=0.01)


@pytest.fixture(params=sorted(FAKES))
def target(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fake(target: str) -> Iterator[FakeHelpdesk]:
    server = FAKES[target](user_of(target), TOKEN)
    yield server
    server.stop()


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = Project(tmp_path)
    assert project.export(only=["macros"]).ok
    return project


def run(project: Project, target: str, fake: FakeHelpdesk, **options: Any) -> Any:
    return push(
        target,
        project.out / "macros",
        environ=environment(target, fake.url),
        api_factory=fast_api,
        **options,
    )


def test_create_update_nothing_then_prune(
    project: Project, target: str, fake: FakeHelpdesk
) -> None:
    first = run(project, target, fake)
    created = first.count(Action.CREATE)
    assert created == len(fake.macros) == 8
    assert len(fake.writes) == created
    # A content change updates exactly the macros made from it.
    project.edit(ARTICLE, "It depends what you mean by work.", "It depends on what you mean.")
    assert project.export(only=["macros"]).ok
    second = run(project, target, fake)
    assert [s.macro for s in second.steps if s.action is Action.UPDATE] == [
        "acupressure-mat-benefits-faq-do-they-work"
    ]
    assert len(fake.macros) == 8
    # Nothing changed: zero writes.
    before = len(fake.writes)
    third = run(project, target, fake)
    assert third.count(Action.UNCHANGED) == 8
    assert len(fake.writes) == before
    # A macro the content no longer has is retired with --prune, and only with it.
    profile = project.exporters / "macros.toml"
    text = profile.read_text(encoding="utf-8")
    offer = text[text.rindex("[[options.macros]]") :]
    assert 'part = "offer"' in offer
    profile.write_text(text.replace(offer, ""), encoding="utf-8")
    assert project.export(only=["macros"]).ok
    kept = run(project, target, fake)
    assert kept.count(Action.RETIRE) == 0
    assert len(fake.macros) == 8
    pruned = run(project, target, fake, prune=True)
    assert [s.macro for s in pruned.steps if s.action is Action.RETIRE] == [
        "acupressure-mat-benefits-offer"
    ]
    assert len(fake.macros) == 7


def test_prune_leaves_macros_it_did_not_make(
    project: Project, target: str, fake: FakeHelpdesk
) -> None:
    own = (
        {"title": "Our own macro", "description": "made by hand", "actions": []}
        if target == "zendesk"
        else {"name": "Our own macro", "external_id": "crm-17", "actions": []}
    )
    fake.macros[1] = {**own, "id": 1}
    run(project, target, fake, prune=True)
    assert fake.macros[1]["id"] == 1
    assert len(fake.macros) == 9


def test_a_dry_run_plans_and_writes_nothing(
    project: Project, target: str, fake: FakeHelpdesk
) -> None:
    report = run(project, target, fake, dry_run=True)
    assert report.count(Action.CREATE) == 8
    assert fake.writes == []
    assert fake.macros == {}


def test_429_is_retried_after_retry_after(
    project: Project, target: str, fake: FakeHelpdesk
) -> None:
    fake.throttle = {1, 3, 4}  # the first page, then two writes in a row
    report = run(project, target, fake)
    assert report.count(Action.CREATE) == 8
    assert len(fake.macros) == 8


def test_a_push_cut_off_half_way_is_finished_by_the_next(
    project: Project, target: str, fake: FakeHelpdesk
) -> None:
    reference = FAKES[target](user_of(target), TOKEN)
    try:
        run(project, target, reference)
        fake.fail_writes_after = 3
        with pytest.raises(PushError) as caught:
            run(project, target, fake)
        assert len(caught.value.written) == 3
        assert "still failing" in str(caught.value)
        fake.fail_writes_after = None
        again = run(project, target, fake)
        assert again.count(Action.UNCHANGED) == 3
        assert again.count(Action.CREATE) == 5
        assert fake.state() == reference.state()
    finally:
        reference.stop()


def test_a_refused_macro_names_it_and_the_vendors_message(
    project: Project, target: str, fake: FakeHelpdesk
) -> None:
    fake.required = (*fake.required, "no-such-field")
    with pytest.raises(PushError) as caught:
        run(project, target, fake)
    message = str(caught.value)
    assert "(macro acupressure-mat-benefits-faq-do-they-work)" in message
    assert "422" in message
    assert "no-such-field is required" in message


def test_the_cli_never_prints_credentials(
    project: Project, target: str, fake: FakeHelpdesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in environment(target, fake.url).items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    out = ["--out", str(project.out)]
    result = runner.invoke(app, ["macros", "push", target, *out])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("8 create, 0 update, 0 unchanged, 0 retire; 8 writes")
    monkeypatch.setenv(f"SPIKECONTENT_{target.upper()}_TOKEN", "wrong-token")
    refused = runner.invoke(app, ["macros", "push", target, *out])
    assert refused.exit_code == 1
    assert "401" in refused.stderr
    monkeypatch.delenv(f"SPIKECONTENT_{target.upper()}_URL")
    missing = runner.invoke(app, ["macros", "push", target, *out])
    assert missing.exit_code == 1
    assert f"SPIKECONTENT_{target.upper()}_URL" in missing.stderr
    for output in (result.output, refused.output, missing.output):
        assert TOKEN not in output
        assert "wrong-token" not in output
        assert EMAIL not in output
