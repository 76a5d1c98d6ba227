"""The helpdesks ``spikecontent macros push`` knows: where their macros live, how they are
listed (with pagination), and by what each is recognised as one of ours.

Written from the vendors' API references (cited in docs/support-macros.md): Zendesk's
Macros API and cursor pagination, Gorgias' Macro object and cursor pagination.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final

import attrs

from spikecontent.push.client import Api, PushError
from spikecontent.writers.macros.targets import identity_of

__all__ = ["VENDORS", "Vendor", "credentials"]

_PAGE: Final = 100


@attrs.frozen(kw_only=True)
class Vendor:
    """One helpdesk's macro API."""

    name: str
    file: str
    """The import file ``export`` wrote, in the macros output folder."""
    secrets: tuple[str, ...]
    """Environment variables besides ``SPIKECONTENT_<NAME>_URL``, in auth order."""
    collection: str
    """The path of the macro collection, e.g. ``/api/v2/macros``."""
    list_all: Callable[[Api], Iterator[dict[str, Any]]]
    identity: Callable[[dict[str, Any]], str | None]
    """Our macro id for an item (as the API returns it, or as the file holds it)."""
    body: Callable[[dict[str, Any]], dict[str, Any]]
    """The comparable part of an item: what a create or update sends."""
    wrap: Callable[[dict[str, Any]], Any] = lambda body: body
    """The request body for ``body`` (Zendesk wraps it in ``{"macro": ...}``)."""
    auth: Callable[[Mapping[str, str]], tuple[str, str]]

    def url_variable(self) -> str:
        """The environment variable holding the API's base URL."""
        return f"SPIKECONTENT_{self.name.upper()}_URL"


def credentials(vendor: Vendor, environ: Mapping[str, str] | None = None) -> tuple[str, Any]:
    """The base URL and auth from the environment; a :class:`PushError` naming every
    missing variable (values are never printed)."""
    values = os.environ if environ is None else environ
    names = (vendor.url_variable(), *vendor.secrets)
    missing = [name for name in names if not values.get(name)]
    if missing:
        raise PushError(
            f"set {', '.join(missing)} in the environment to push to {vendor.name}"
            " (see docs/support-macros.md)"
        )
    return values[vendor.url_variable()], vendor.auth(values)


def _zendesk_list(api: Api) -> Iterator[dict[str, Any]]:
    params: dict[str, Any] | None = {"page[size]": _PAGE}
    path = "/api/v2/macros"
    while True:
        page = api.request("GET", path, params=params)
        yield from (item for item in page["macros"])
        after = page.get("meta", {}).get("after_cursor")
        if not page.get("meta", {}).get("has_more") or not after:
            return
        params = {"page[size]": _PAGE, "page[after]": after}


def _zendesk_body(item: dict[str, Any]) -> dict[str, Any]:
    macro = item.get("macro", item)
    return {
        "title": macro["title"],
        "description": macro.get("description"),
        "active": macro.get("active", True),
        "actions": [{"field": a["field"], "value": a["value"]} for a in macro["actions"]],
    }


def _gorgias_list(api: Api) -> Iterator[dict[str, Any]]:
    params: dict[str, Any] = {"limit": _PAGE}
    while True:
        page = api.request("GET", "/api/macros", params=params)
        yield from page["data"]
        cursor = page.get("meta", {}).get("next_cursor")
        if not cursor:
            return
        params = {"limit": _PAGE, "cursor": cursor}


def _gorgias_body(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": item["name"],
        "external_id": item.get("external_id"),
        "language": item.get("language"),
        "actions": [
            {
                "name": a["name"],
                "title": a.get("title"),
                "type": a.get("type"),
                "arguments": a["arguments"],
            }
            for a in item["actions"]
        ],
    }


VENDORS: Final = {
    vendor.name: vendor
    for vendor in (
        Vendor(
            name="zendesk",
            file="zendesk.json",
            secrets=("SPIKECONTENT_ZENDESK_EMAIL", "SPIKECONTENT_ZENDESK_TOKEN"),
            collection="/api/v2/macros",
            list_all=_zendesk_list,
            identity=lambda item: identity_of(item.get("macro", item).get("description") or ""),
            body=_zendesk_body,
            wrap=lambda body: {"macro": body},
            # API-token basic auth: "email/token" as the user, the token as the password.
            auth=lambda env: (
                f"{env['SPIKECONTENT_ZENDESK_EMAIL']}/token",
                env["SPIKECONTENT_ZENDESK_TOKEN"],
            ),
        ),
        Vendor(
            name="gorgias",
            file="gorgias.json",
            secrets=("SPIKECONTENT_GORGIAS_EMAIL", "SPIKECONTENT_GORGIAS_TOKEN"),
            collection="/api/macros",
            list_all=_gorgias_list,
            identity=lambda item: identity_of(item.get("external_id") or ""),
            body=_gorgias_body,
            auth=lambda env: (env["SPIKECONTENT_GORGIAS_EMAIL"], env["SPIKECONTENT_GORGIAS_TOKEN"]),
        ),
    )
}
