"""``spikecontent macros push`` against local fakes of each helpdesk's documented API."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from spikecontent.cli import app
from spikecontent.pipeline import private_folder
from spikecontent.push import Action, PushError, push
from spikecontent.push.client import Api
from spikecontent.push.vendors import FRESHDESK_RETIRED, VENDORS, check_url
from tests.conftest import ARTICLE, Project
from tests.fake_helpdesks import (
    FakeFreshdesk,
    FakeGorgias,
    FakeHelpdesk,
    FakeHelpScout,
    FakeZendesk,
)

EMAIL = "agent@spikerest.example"
TOKEN = "s3cret-token-value"
FOLDER = 7
"""The Freshdesk canned-response folder the profile names (the fake starts with it)."""
FAKES: dict[str, Callable[[], FakeHelpdesk]] = {
    # Zendesk's API-token auth puts "/token" after the email; Gorgias takes the email;
    # Help Scout a bearer token; Freshdesk the API key with "X" as the password.
    "zendesk": lambda: FakeZendesk(f"{EMAIL}/token", TOKEN),
    "gorgias": lambda: FakeGorgias(EMAIL, TOKEN),
    "helpscout": lambda: FakeHelpScout(TOKEN, mailbox="100"),
    "freshdesk": lambda: FakeFreshdesk(TOKEN),
}
SECRET = {"helpscout": "TOKEN", "freshdesk": "API_KEY"}
OFFER_TITLE = "Shipping and 30-day money-back guarantee"


def environment(target: str, url: str) -> dict[str, str]:
    prefix = f"SPIKECONTENT_{target.upper()}"
    values = {f"{prefix}_URL": url, f"{prefix}_{SECRET.get(target, 'TOKEN')}": TOKEN}
    if target in ("zendesk", "gorgias"):
        values[f"{prefix}_EMAIL"] = EMAIL
    if target == "helpscout":
        values[f"{prefix}_MAILBOX"] = "100"
    return values


def fast_api(base_url: str, auth: Any, **options: Any) -> Api:
    return Api(base_url, auth, backoff=0.01, **options)


def live(fake: FakeHelpdesk) -> dict[int, dict[str, Any]]:
    """The macros agents are offered: Freshdesk's retired folder left out."""
    if isinstance(fake, FakeFreshdesk):
        retired = {i for i, name in fake.folders.items() if name == FRESHDESK_RETIRED}
        return {i: m for i, m in fake.macros.items() if m["folder_id"] not in retired}
    return fake.macros


@pytest.fixture(params=sorted(FAKES))
def target(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fake(target: str) -> Iterator[FakeHelpdesk]:
    server = FAKES[target]()
    yield server
    server.stop()


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = Project(tmp_path).option("macros", f"freshdesk_folder_id = {FOLDER}")
    assert project.export(only=["macros"]).ok
    return project


def run(project: Project, target: str, fake: FakeHelpdesk, **options: Any) -> Any:
    # The fakes listen on 127.0.0.1 over plain http: allowed only when said so.
    return push(
        target,
        project.out / "macros",
        environ=environment(target, fake.url),
        api_factory=fast_api,
        insecure_loopback=True,
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
    assert len(live(fake)) == 8
    pruned = run(project, target, fake, prune=True)
    assert [s.macro for s in pruned.steps if s.action is Action.RETIRE] == [
        "acupressure-mat-benefits-offer"
    ]
    assert len(live(fake)) == 7
    # Retired once: a later push with --prune has nothing more to retire.
    assert run(project, target, fake, prune=True).count(Action.RETIRE) == 0


def test_prune_leaves_macros_it_did_not_make(
    project: Project, target: str, fake: FakeHelpdesk
) -> None:
    made_by_hand: dict[str, dict[str, Any]] = {
        "zendesk": {"title": "Our own macro", "description": "made by hand", "actions": []},
        "gorgias": {"name": "Our own macro", "external_id": "crm-17", "actions": []},
        "helpscout": {"name": "Our own macro", "text": "<p>Hello</p>"},
        "freshdesk": {
            "title": "Our own macro",
            "content_html": "<p>Hello</p>",
            "folder_id": FOLDER,
            "visibility": 0,
        },
    }
    own = made_by_hand[target]
    fake.macros[1] = {**own, "id": 1}
    run(project, target, fake, prune=True)
    assert fake.macros[1] == {**own, "id": 1}
    assert len(live(fake)) == 9


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
    reference = FAKES[target]()
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
    out = ["--out", str(project.out), "--allow-insecure-loopback"]
    result = runner.invoke(app, ["macros", "push", target, *out])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("8 create, 0 update, 0 unchanged, 0 retire; 8 writes")
    secret = f"SPIKECONTENT_{target.upper()}_{SECRET.get(target, 'TOKEN')}"
    monkeypatch.setenv(secret, "wrong-token")
    refused = runner.invoke(app, ["macros", "push", target, *out])
    assert refused.exit_code == 1
    assert "401" in refused.stderr
    monkeypatch.delenv(f"SPIKECONTENT_{target.upper()}_URL")
    missing = runner.invoke(app, ["macros", "push", target, *out])
    assert missing.exit_code == 1
    assert f"SPIKECONTENT_{target.upper()}_URL" in missing.stderr
    # Nothing was written: nothing to finish (issue 42, item 10).
    assert "Run the push again" not in missing.stderr
    assert "Nothing was written." in missing.stderr
    for output in (result.output, refused.output, missing.output):
        assert TOKEN not in output
        assert "wrong-token" not in output
        assert EMAIL not in output


@pytest.mark.parametrize("target", ["helpscout", "freshdesk"])
def test_without_metadata_the_ledger_knows_ours_and_a_deleted_one_is_made_again(
    project: Project, target: str, fake: FakeHelpdesk
) -> None:
    # Neither helpdesk has a field for our identity: the push remembers what it made, by
    # the helpdesk's id, in the output's private folder, never by title.
    run(project, target, fake)
    ledgers = list((private_folder(project.out) / "push").glob(f"{target}-*.json"))
    assert len(ledgers) == 1
    remembered = json.loads(ledgers[0].read_text(encoding="utf-8"))["macros"]
    assert sorted(entry["remote"] for entry in remembered.values()) == sorted(fake.macros)
    # A reply with one of our titles that the push did not make is not ours.
    title = fake.macros[min(fake.macros)].get("name") or fake.macros[min(fake.macros)]["title"]
    stranger = dict(fake.macros[min(fake.macros)], id=1)
    fake.macros[1] = stranger
    # One of ours deleted by hand in the helpdesk is made again, once.
    gone = max(fake.macros)
    del fake.macros[gone]
    again = run(project, target, fake, prune=True)
    assert again.count(Action.CREATE) == 1
    assert again.count(Action.UNCHANGED) == 7
    assert again.count(Action.RETIRE) == 0
    assert fake.macros[1] == stranger
    assert any((m.get("name") or m.get("title")) == title for i, m in fake.macros.items() if i != 1)
    assert run(project, target, fake).count(Action.UNCHANGED) == 8


def test_freshdesk_files_replies_in_a_folder_found_or_made_by_name(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeFreshdesk(TOKEN)
    try:
        environ = {**environment("freshdesk", fake.url), "SPIKECONTENT_FRESHDESK_FOLDER": "Mats"}
        folder = project.out / "macros"
        first = push(
            "freshdesk", folder, environ=environ, api_factory=fast_api, insecure_loopback=True
        )
        assert first.count(Action.CREATE) == 8
        (mats,) = (i for i, name in fake.folders.items() if name == "Mats")
        assert {m["folder_id"] for m in fake.macros.values()} == {mats}
        # The folder is found the second time, not made again; nothing else is written.
        writes = len(fake.writes)
        second = push(
            "freshdesk", folder, environ=environ, api_factory=fast_api, insecure_loopback=True
        )
        assert second.count(Action.UNCHANGED) == 8
        assert len(fake.writes) == writes
        assert list(fake.folders.values()).count("Mats") == 1
    finally:
        fake.stop()


@pytest.mark.parametrize("target", ["freshdesk"])
def test_freshdesk_retires_into_a_folder_as_its_api_deletes_nothing(
    project: Project, fake: FakeHelpdesk
) -> None:
    assert isinstance(fake, FakeFreshdesk)
    run(project, "freshdesk", fake)
    profile = project.exporters / "macros.toml"
    text = profile.read_text(encoding="utf-8")
    last_two = text.rindex("[[options.macros]]", 0, text.rindex("[[options.macros]]"))
    profile.write_text(text[:last_two], encoding="utf-8")
    assert project.export(only=["macros"]).ok
    asked = len(fake.asked)
    retiring = run(project, "freshdesk", fake, prune=True)
    (retired,) = (i for i, name in fake.folders.items() if name == FRESHDESK_RETIRED)
    moved = [m for m in fake.macros.values() if m["folder_id"] == retired]
    assert OFFER_TITLE in [m["title"] for m in moved]
    assert len(moved) == retiring.count(Action.RETIRE) >= 2
    assert len(fake.macros) == 8  # moved, not deleted
    # The folders are listed once for the whole push, not again for each response moved
    # (Freshdesk counts every call against the account's rate limit).
    listed = [a for a in fake.asked[asked:] if a == ("GET", "/api/v2/canned_response_folders")]
    assert len(listed) == 1


@pytest.mark.parametrize("target", ["helpscout", "freshdesk"])
def test_a_vendor_file_that_does_not_match_the_index_is_refused(
    project: Project, fake: FakeHelpdesk, target: str
) -> None:
    # An index edited after the export is refused before it is compared (issue 42, item 9).
    index = project.out / "macros" / "macros.json"
    entries = json.loads(index.read_text(encoding="utf-8"))
    index.write_text(json.dumps(entries[:-1]), encoding="utf-8")
    with pytest.raises(PushError, match="changed after the export"):
        run(project, target, fake)
    assert fake.writes == []


# Issue 42, item 6: credentials only over TLS, only to the vendor's documented host.


@pytest.mark.parametrize(
    ("target", "url"),
    [
        ("zendesk", "https://acme.zendesk.com"),
        ("zendesk", "https://acme.zendesk.com/"),
        ("gorgias", "https://acme.gorgias.com"),
        ("helpscout", "https://api.helpscout.net"),
        ("freshdesk", "https://acme.freshdesk.com"),
    ],
)
def test_the_vendors_documented_hosts_are_accepted(target: str, url: str) -> None:
    assert check_url(VENDORS[target], url) == url.rstrip("/")


@pytest.mark.parametrize(
    ("target", "url", "says"),
    [
        ("zendesk", "http://acme.zendesk.com", "https://"),
        ("zendesk", "https://agent%40spikerest.example:hunter22@acme.zendesk.com", "user name"),
        ("zendesk", "https://acme.zendesk.com.evil.example", "--custom-host"),
        ("zendesk", "https://evil.example/acme.zendesk.com", "--custom-host"),
        ("zendesk", "https://a.b.zendesk.com", "--custom-host"),
        ("zendesk", "https://acme.zendesk.com:8443", "--custom-host"),
        ("zendesk", "https://acme.zendesk.com/api/v2", "--custom-host"),
        ("zendesk", "https://acme.zendesk.com/?token=hunter22", "query"),
        ("gorgias", "https://acme.zendesk.com", "<account>.gorgias.com"),
        ("helpscout", "https://acme.helpscout.net", "api.helpscout.net"),
        ("freshdesk", "ftp://acme.freshdesk.com", "https://"),
        ("freshdesk", "https://127.0.0.1", "--custom-host"),
    ],
)
def test_a_url_off_tls_or_off_the_vendors_host_is_refused(target: str, url: str, says: str) -> None:
    with pytest.raises(PushError) as caught:
        check_url(VENDORS[target], url)
    assert says in str(caught.value)
    assert "hunter22" not in str(caught.value)


def test_a_custom_host_is_the_one_named_and_still_over_tls() -> None:
    zendesk = VENDORS["zendesk"]
    url = "https://support.spikerest.example"
    assert check_url(zendesk, url, custom_host="support.spikerest.example") == url
    with pytest.raises(PushError, match="not the --custom-host"):
        check_url(zendesk, url, custom_host="other.spikerest.example")
    with pytest.raises(PushError, match="https://"):
        check_url(
            zendesk, "http://support.spikerest.example", custom_host="support.spikerest.example"
        )
    # The loopback allowance is for loopback addresses only.
    with pytest.raises(PushError, match="https://"):
        check_url(zendesk, "http://acme.zendesk.com", insecure_loopback=True)
    for loopback in ("http://127.0.0.1:8080", "http://[::1]:8080", "http://localhost:8080"):
        assert check_url(zendesk, loopback, insecure_loopback=True) == loopback


def test_plain_http_sends_nothing_without_the_flag(
    project: Project, target: str, fake: FakeHelpdesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fake is on 127.0.0.1 over http: without --allow-insecure-loopback, not one
    # request leaves (the credentials would have crossed in clear).
    with pytest.raises(PushError, match="https://"):
        push(target, project.out / "macros", environ=environment(target, fake.url))
    assert fake.requests == 0
    for name, value in environment(target, fake.url).items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(app, ["macros", "push", target, "--out", str(project.out)])
    assert result.exit_code == 1
    assert "--allow-insecure-loopback" in result.stderr
    assert fake.requests == 0


# Issue 42, item 7: an answer the vendor does not document is a message, never a traceback.

HTML_PAGE = b"<!doctype html><html><body><h1>Maintenance</h1> back soon</body></html>"


def test_a_page_of_html_with_200_is_a_message_naming_the_request(
    project: Project, target: str, fake: FakeHelpdesk
) -> None:
    fake.raw = {1: (200, HTML_PAGE, {"Content-Type": "text/html; charset=utf-8"})}
    with pytest.raises(PushError) as caught:
        run(project, target, fake)
    message = str(caught.value)
    assert message.startswith("GET /")
    assert "200" in message
    assert "not JSON (text/html" in message
    assert "Maintenance" in message
    assert fake.writes == []


def test_json_of_another_shape_is_a_message_naming_the_request(
    project: Project, target: str, fake: FakeHelpdesk
) -> None:
    # A list without "macros" (Zendesk), "data" (Gorgias), or an object where the vendor
    # documents an array (Help Scout, Freshdesk).
    fake.raw = {1: (200, b'{"count": 0, "next_page": null}', {"Content-Type": "application/json"})}
    with pytest.raises(PushError) as caught:
        run(project, target, fake)
    message = str(caught.value)
    assert message.startswith("GET /")
    assert "200 answer without" in message
    assert "count" in message
    assert fake.writes == []


def test_a_created_record_without_its_id_is_a_message(project: Project) -> None:
    # Freshdesk's create answers the record, whose id goes into the ledger: the folders,
    # the folder's responses, then the first create.
    fake = FakeFreshdesk(TOKEN)
    try:
        fake.raw = {3: (201, b'{"title": "no id here"}', {"Content-Type": "application/json"})}
        with pytest.raises(PushError) as caught:
            run(project, "freshdesk", fake)
        assert "POST /api/v2/canned_responses" in str(caught.value)
        assert "without the new record's id" in str(caught.value)
    finally:
        fake.stop()


def test_a_redirect_is_never_followed(project: Project, target: str, fake: FakeHelpdesk) -> None:
    elsewhere = FAKES[target]()
    try:
        # The listing and then a write are sent to another server: neither goes there.
        for number in (1, 2):
            moved = f"{elsewhere.url}/somewhere/else?x=1"
            fake.raw = {number: (301, b"", {"Location": moved})}
            with pytest.raises(PushError) as caught:
                run(project, target, fake)
            message = str(caught.value)
            assert "301 redirect to http://127.0.0.1" in message
            assert "/somewhere/else" in message
            assert "not followed" in message
            assert "x=1" not in message
            fake.requests = 0
        assert elsewhere.requests == 0
    finally:
        elsewhere.stop()


def test_the_cli_says_which_request_got_what_and_exits_1(
    project: Project, target: str, fake: FakeHelpdesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in environment(target, fake.url).items():
        monkeypatch.setenv(name, value)
    fake.raw = {1: (302, b"", {"Location": "https://login.example/sso"})}
    out = ["--out", str(project.out), "--allow-insecure-loopback"]
    result = CliRunner().invoke(app, ["macros", "push", target, *out])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "302 redirect to https://login.example/sso: not followed" in result.stderr
    assert "Traceback" not in result.output


def test_an_error_that_echoes_the_authorization_header_prints_no_secret(
    project: Project, target: str, fake: FakeHelpdesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The helpdesk refuses the right credentials and quotes the header it received.
    sent = fake.expected_auth
    fake.expected_auth = "Basic c29tZW9uZS1lbHNlOng="
    fake.echo_auth = True
    for name, value in environment(target, fake.url).items():
        monkeypatch.setenv(name, value)
    out = ["--out", str(project.out), "--allow-insecure-loopback"]
    result = CliRunner().invoke(app, ["macros", "push", target, *out])
    assert result.exit_code == 1
    assert "401" in result.stderr
    assert "Authorization: " in result.stderr
    assert "[redacted]" in result.stderr
    encoded = sent.split(" ", 1)[1]
    for secret in (TOKEN, encoded, encoded[:24], EMAIL):
        assert secret not in result.output


# Issue 42, item 8: listing and waiting are bounded, and what was done is reported.


@pytest.mark.parametrize("target", ["zendesk", "gorgias", "freshdesk"])
def test_a_list_that_repeats_its_cursor_stops_the_push(
    project: Project, target: str, fake: FakeHelpdesk
) -> None:
    run(project, target, fake)
    asked = fake.requests
    fake.endless = True  # every page says "more", with the cursor it was asked by
    with pytest.raises(PushError) as caught:
        run(project, target, fake)
    assert "again after 2 pages" in str(caught.value)
    assert "stopped" in str(caught.value)
    # Two pages (and Freshdesk's folder list), not thousands.
    assert fake.requests - asked <= 3


def test_a_long_retry_after_stops_at_once_within_max_wait(
    project: Project, target: str, fake: FakeHelpdesk
) -> None:
    fake.throttle = {1}
    fake.retry_after = "86400"
    with pytest.raises(PushError) as caught:
        run(project, target, fake, max_wait=5.0)
    message = str(caught.value)
    assert "asks to wait 86400 s (Retry-After)" in message
    assert "--max-wait" in message
    assert fake.requests == 1  # no second attempt, and no day asleep before it


def test_max_wait_bounds_the_retries_too(project: Project) -> None:
    fake = FakeZendesk(f"{EMAIL}/token", TOKEN)
    try:
        fake.throttle = set(range(1, 100))  # Retry-After: 0, again and again
        with pytest.raises(PushError) as caught:
            run(project, "zendesk", fake, max_wait=0.0)
        assert "still failing after 1 attempts" in str(caught.value)
        assert fake.requests == 1
    finally:
        fake.stop()


def test_a_push_stopped_by_a_long_wait_says_what_it_wrote(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeZendesk(f"{EMAIL}/token", TOKEN)
    try:
        for name, value in environment("zendesk", fake.url).items():
            monkeypatch.setenv(name, value)
        fake.throttle = {4}  # the list, two creates, then a day's wait
        fake.retry_after = "86400"
        out = ["--out", str(project.out), "--allow-insecure-loopback", "--max-wait", "2"]
        result = CliRunner().invoke(app, ["macros", "push", "zendesk", *out])
        assert result.exit_code == 1
        assert "86400" in result.stderr
        assert result.stderr.count("written before the error: create ") == 2
        assert "Run the push again to finish." in result.stderr
        assert len(fake.macros) == 2
    finally:
        fake.stop()


# Issue 42, item 9: what is pushed is what the export wrote; a ledger cannot aim --prune.


def _tamper(path: Path) -> bytes:
    data = path.read_bytes()
    changed = data.replace(b"research", b"proof", 1)
    assert changed != data
    path.write_bytes(changed)
    return changed


def test_a_file_changed_after_the_export_is_refused(
    project: Project, target: str, fake: FakeHelpdesk
) -> None:
    relative = f"macros/{VENDORS[target].file}"
    changed = _tamper(project.out / relative)
    with pytest.raises(PushError) as caught:
        run(project, target, fake)
    assert "changed after the export" in str(caught.value)
    assert "run spikecontent export again" in str(caught.value)
    assert fake.requests == 0
    # The manifest edited to match: the build state, beside the output and its owner's
    # only, still tells.
    manifest = project.out / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    for item in data["artifacts"]:
        if item["path"] == relative:
            item["sha256"] = hashlib.sha256(changed).hexdigest()
            item["bytes"] = len(changed)
    manifest.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PushError, match="differs from the export's build state"):
        run(project, target, fake)
    assert fake.requests == 0
    # Exported again, it goes.
    assert project.export(only=["macros"], force=True).ok
    assert run(project, target, fake).count(Action.CREATE) == 8


FOREIGN: dict[str, dict[str, Any]] = {
    "helpscout": {"name": "Refunds (written by hand)", "text": "<p>Our own words.</p>"},
    "freshdesk": {
        "title": "Refunds (written by hand)",
        "content_html": '<div dir="ltr"><p>Our own words.</p></div>',
        "folder_id": FOLDER,
        "visibility": 0,
    },
}


@pytest.mark.parametrize("target", ["helpscout", "freshdesk"])
def test_a_ledger_that_claims_a_reply_it_did_not_make_cannot_retire_it(
    project: Project, target: str, fake: FakeHelpdesk
) -> None:
    run(project, target, fake)
    (ledger,) = (private_folder(project.out) / "push").glob(f"{target}-*.json")
    data = json.loads(ledger.read_text(encoding="utf-8"))
    fake.macros[1] = {**FOREIGN[target], "id": 1}
    # Entries claiming the hand-written reply: one with another entry's digest and mark,
    # one without a mark (as a ledger of an older version has).
    some = next(iter(data["macros"].values()))
    data["macros"]["gone-one"] = {"remote": 1, "digest": some["digest"], "mark": some["mark"]}
    data["macros"]["gone-two"] = {"remote": 1, "digest": some["digest"]}
    ledger.write_text(json.dumps(data), encoding="utf-8")
    report = run(project, target, fake, prune=True)
    assert report.count(Action.RETIRE) == 0
    assert sorted(step.macro for step, _ in report.kept) == ["gone-one", "gone-two"]
    assert fake.macros[1] == {**FOREIGN[target], "id": 1}
    assert len(live(fake)) == 9


@pytest.mark.parametrize("target", ["helpscout", "freshdesk"])
def test_a_ledger_that_claims_a_reply_it_did_not_make_cannot_update_it(
    project: Project, target: str, fake: FakeHelpdesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(project, target, fake)
    (ledger,) = (private_folder(project.out) / "push").glob(f"{target}-*.json")
    data = json.loads(ledger.read_text(encoding="utf-8"))
    fake.macros[1] = {**FOREIGN[target], "id": 1}
    # Two of our entries aimed at the hand-written reply with a digest that differs from
    # the body to send (which makes each an update): one keeping its own mark, one
    # without a mark (as a ledger of an older version has).
    first, second = sorted(data["macros"])[-2:]
    data["macros"][first].update(remote=1, digest="0" * 64)
    data["macros"][second] = {"remote": 1, "digest": "0" * 64}
    ledger.write_text(json.dumps(data), encoding="utf-8")
    writes = len(fake.writes)
    report = run(project, target, fake)
    assert report.count(Action.UPDATE) == 0
    assert sorted((step.macro, step.action) for step, _ in report.kept) == [
        (first, Action.UPDATE),
        (second, Action.UPDATE),
    ]
    assert fake.macros[1] == {**FOREIGN[target], "id": 1}
    assert len(fake.writes) == writes
    # The command line names each write it did not make, and why.
    for name, value in environment(target, fake.url).items():
        monkeypatch.setenv(name, value)
    out = ["--out", str(project.out), "--allow-insecure-loopback"]
    result = CliRunner().invoke(app, ["macros", "push", target, *out])
    assert result.exit_code == 0, result.output
    assert f"not updated: {first} ({target}'s record 1 is not the reply" in result.stderr
    assert f"not updated: {second} (the ledger, from an older version" in result.stderr
    assert fake.macros[1] == {**FOREIGN[target], "id": 1}
    # Our own replies are still updated when their content changes.
    project.edit(ARTICLE, "It depends what you mean by work.", "It depends on what you mean.")
    assert project.export(only=["macros"]).ok
    changed = run(project, target, fake)
    assert [s.macro for s in changed.steps if s.action is Action.UPDATE] == [
        "acupressure-mat-benefits-faq-do-they-work"
    ]
    assert fake.macros[1] == {**FOREIGN[target], "id": 1}


@pytest.mark.parametrize("target", ["helpscout", "freshdesk"])
def test_a_ledger_without_marks_gets_them_and_then_prunes_its_own(
    project: Project, target: str, fake: FakeHelpdesk
) -> None:
    run(project, target, fake)
    (ledger,) = (private_folder(project.out) / "push").glob(f"{target}-*.json")
    data = json.loads(ledger.read_text(encoding="utf-8"))
    for entry in data["macros"].values():
        del entry["mark"]
    ledger.write_text(json.dumps(data), encoding="utf-8")
    assert run(project, target, fake).count(Action.UNCHANGED) == 8
    marked = json.loads(ledger.read_text(encoding="utf-8"))["macros"]
    assert all("mark" in entry for entry in marked.values())
    assert len(fake.writes) == 8  # marks are kept without a write to the helpdesk
    profile = project.exporters / "macros.toml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text[: text.rindex("[[options.macros]]")], encoding="utf-8")
    assert project.export(only=["macros"]).ok
    pruned = run(project, target, fake, prune=True)
    assert [s.macro for s in pruned.steps if s.action is Action.RETIRE] == [
        "acupressure-mat-benefits-offer"
    ]
    assert pruned.kept == ()


# Issue 42, item 10: Freshdesk by folder name needs no folder id in the profile.


def test_freshdesk_by_folder_name_needs_no_folder_id_in_the_profile(tmp_path: Path) -> None:
    project = Project(tmp_path)  # the profile names no freshdesk_folder_id
    assert project.export(only=["macros"]).ok
    folder = project.out / "macros"
    assert not (folder / "freshdesk.json").exists()
    fake = FakeFreshdesk(TOKEN)
    try:
        environ = environment("freshdesk", fake.url)
        common: dict[str, Any] = {"api_factory": fast_api, "insecure_loopback": True}
        # Without a folder either way, the message says both ways to give one.
        with pytest.raises(PushError) as caught:
            push("freshdesk", folder, environ=environ, **common)
        assert "SPIKECONTENT_FRESHDESK_FOLDER" in str(caught.value)
        assert "freshdesk_folder_id" in str(caught.value)
        assert fake.requests == 0
        environ["SPIKECONTENT_FRESHDESK_FOLDER"] = "Support"
        first = push("freshdesk", folder, environ=environ, **common)
        assert first.count(Action.CREATE) == 8
        (support,) = (i for i, name in fake.folders.items() if name == "Support")
        assert {m["folder_id"] for m in fake.macros.values()} == {support}
        held = {m["title"]: m["content_html"] for m in fake.macros.values()}
        assert "{{ticket.agent.name}}" in held[OFFER_TITLE]
        assert "{% if ticket.requester.firstname != blank %}" in held[OFFER_TITLE]
        assert "current_user" not in "".join(held.values())
        assert "first_name" not in "".join(held.values())
        # The bodies are exactly those of the freshdesk.json an export writes when the
        # profile names a folder: pushed from it, nothing changes.
        project.option("macros", f"freshdesk_folder_id = {FOLDER}")
        assert project.export(only=["macros"]).ok
        assert (folder / "freshdesk.json").exists()
        writes = len(fake.writes)
        again = push("freshdesk", folder, environ=environ, **common)
        assert again.count(Action.UNCHANGED) == 8
        assert len(fake.writes) == writes
    finally:
        fake.stop()


def test_a_freshdesk_file_planted_beside_the_export_is_refused(tmp_path: Path) -> None:
    project = Project(tmp_path)
    assert project.export(only=["macros"]).ok
    zendesk = json.loads((project.out / "macros" / "zendesk.json").read_text(encoding="utf-8"))
    planted = [
        {"title": i["macro"]["title"], "content_html": "<p>Buy now</p>", "folder_id": 7}
        for i in zendesk
    ]
    (project.out / "macros" / "freshdesk.json").write_text(json.dumps(planted), encoding="utf-8")
    fake = FakeFreshdesk(TOKEN)
    try:
        environ = {**environment("freshdesk", fake.url), "SPIKECONTENT_FRESHDESK_FOLDER": "Mats"}
        with pytest.raises(PushError, match="not in the export's manifest"):
            push(
                "freshdesk",
                project.out / "macros",
                environ=environ,
                api_factory=fast_api,
                insecure_loopback=True,
            )
        assert fake.requests == 0
    finally:
        fake.stop()
