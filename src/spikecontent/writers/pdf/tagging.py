"""Structure-tree details that PDF/UA asks for and WeasyPrint 70 leaves out.

:func:`complete_tags` runs as WeasyPrint's ``finisher``: after WeasyPrint has built the
tag tree, before it writes the file. It edits that tree in place:

- every ``TH`` gets a ``/Scope`` attribute (``/Column`` in a ``THead``, ``/Row`` in a body
  row), so that a reader announces each cell with its header (ISO 14289-1 §7.5; the
  Matterhorn Protocol's failure condition 15-003). WeasyPrint writes only ``/O /Table``.
- every ``LI`` holds only ``Lbl`` and ``LBody`` (ISO 32000-1 Table 336): WeasyPrint makes
  a block that follows the first line of an item (a paragraph in a tip) a sibling of the
  item's ``LBody``; it is moved into that ``LBody``.

WeasyPrint has no option for either; a finisher is its documented hook for this, and works
on its own objects (``pydyf``), so no second PDF library re-writes the file.
"""

from __future__ import annotations

from typing import Any

import pydyf

__all__ = ["complete_tags"]

_LIST_ITEM_PARTS = ("/Lbl", "/LBody")


def complete_tags(_document: object, pdf: pydyf.PDF) -> None:
    """Add header scopes and regroup list items in ``pdf``'s structure tree."""
    elements = {
        o.reference: o
        for o in pdf.objects
        if isinstance(o, pydyf.Dictionary) and o.get("Type") == "/StructElem"
    }
    for element in list(elements.values()):
        role = element.get("S")
        if role == "/TH":
            _scope_header(element, elements)
        elif role == "/LI":
            _regroup_item(element, elements, pdf)


def _scope_header(header: pydyf.Dictionary, elements: dict[bytes, Any]) -> None:
    row = elements.get(header["P"])
    group = elements.get(row["P"]) if row is not None else None
    in_head = group is not None and group.get("S") == "/THead"
    attributes = header.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
    attributes["Scope"] = "/Column" if in_head else "/Row"


def _regroup_item(item: pydyf.Dictionary, elements: dict[bytes, Any], pdf: pydyf.PDF) -> None:
    # Integers are marked content the parent tree maps to this item: they stay.
    kids = [elements.get(k) if isinstance(k, bytes) else None for k in item["K"]]
    if all(k is None or k.get("S") in _LIST_ITEM_PARTS for k in kids):
        return
    body = next((k for k in kids if k is not None and k.get("S") == "/LBody"), None)
    if body is None:
        body = pydyf.Dictionary(
            {"Type": "/StructElem", "S": "/LBody", "K": pydyf.Array(), "P": item.reference}
        )
        if "Pg" in item:
            body["Pg"] = item["Pg"]
        pdf.add_object(body)
        elements[body.reference] = body
    kept = pydyf.Array()
    for reference, kid in zip(item["K"], kids, strict=True):
        if kid is None or kid.get("S") in _LIST_ITEM_PARTS:
            kept.append(reference)
        else:
            body["K"].append(reference)
            kid["P"] = body.reference
    if body.reference not in kept:
        kept.append(body.reference)
    item["K"] = kept
