"""Reader-facing labels for the enum keys the delivery documents carry.

A study's ``design`` arrives as a key (``pilot-randomized-trial``); a frontend shows the
words the pages and leaflets show (``randomized pilot study``), from the model's own
table (:attr:`spikecontent.model.StudyDesign.label`, the one every writer uses), so no
frontend rebuilds the page's honesty ("a pilot is called a pilot") on its own. Credit
roles are shown as the pages and leaflets show them (the key, capitalized); an outcome's
kind and an article's status, which no page shows, get their words here.
"""

from __future__ import annotations

from typing import Final

from spikecontent.model import MeasureKind, Role, Status, StudyDesign

__all__ = ["LABELS", "labels"]

_KIND_LABELS: Final = {
    MeasureKind.SELF_REPORTED: "reported by participants",
    MeasureKind.PHYSIOLOGICAL: "measured by an instrument",
}
_STATUS_LABELS: Final = {
    Status.DRAFT: "draft",
    Status.REVIEW: "in review",
    Status.PUBLISHED: "published",
}


def labels() -> dict[str, dict[str, str]]:
    """Each enum a document carries, by where it appears: key to reader-facing label."""
    return {
        "design": {design.value: design.label for design in StudyDesign},
        "outcome_kind": {kind.value: _KIND_LABELS[kind] for kind in MeasureKind},
        "role": {role.value: role.value.capitalize() for role in Role},
        "status": {status.value: _STATUS_LABELS[status] for status in Status},
    }


LABELS: Final = labels()
"""The table, computed once."""
