"""Products and the offers made for them."""

from __future__ import annotations

import enum
from decimal import Decimal

import attrs

from spikecontent.model.fields import FieldError, href, identifier, non_empty_text, ref

__all__ = ["Availability", "Offer", "PriceBasis", "Product", "currency_exponent"]


def currency_exponent(code: str) -> int | None:
    """Minor-unit digits of an active ISO 4217 currency code, or None when unknown."""
    import iso4217  # imported lazily: it reads its data table on import

    try:
        return int(iso4217.Currency(code).exponent or 0)
    except ValueError:
        return None


@attrs.frozen(kw_only=True)
class Product:
    """A product the content is about."""

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=non_empty_text)
    url: str = attrs.field(validator=href)
    reviews_url: str | None = attrs.field(default=None, validator=href)


class Availability(enum.Enum):
    """Whether the offer can be bought now; the values of schema.org's ItemAvailability."""

    IN_STOCK = "in-stock"
    LIMITED_AVAILABILITY = "limited-availability"
    ONLINE_ONLY = "online-only"
    PRE_ORDER = "pre-order"
    BACK_ORDER = "back-order"
    OUT_OF_STOCK = "out-of-stock"
    SOLD_OUT = "sold-out"
    DISCONTINUED = "discontinued"

    @property
    def schema_org(self) -> str:
        """The schema.org URL, e.g. ``https://schema.org/InStock``."""
        return "https://schema.org/" + "".join(part.title() for part in self.value.split("-"))


class PriceBasis(enum.Enum):
    """Whether a price is the price, or the lowest of several ("From $34.99")."""

    EXACT = "exact"
    FROM = "from"


def _currency(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if currency_exponent(value) is None:
        raise FieldError(
            attribute.name,
            f"{value!r} is not an ISO 4217 currency code",
            "use a three-letter code such as 'USD', 'EUR' or 'GBP'",
        )


_MAX_GUARANTEE_DAYS = 3650
_MAX_PRICE = Decimal(1_000_000)


def _guarantee(_: object, attribute: attrs.Attribute[int | None], value: int | None) -> None:
    if value is not None and value < 0:
        raise FieldError(attribute.name, f"must not be negative, got {value}", "use 0 or more days")
    if value is not None and value > _MAX_GUARANTEE_DAYS:
        raise FieldError(
            attribute.name,
            f"must be at most {_MAX_GUARANTEE_DAYS} days (ten years), got {value:,}",
            "check the number of days",
        )


@attrs.frozen(kw_only=True)
class Offer:
    """A price offer for a product."""

    id: str = attrs.field(validator=identifier)
    product: str = ref("products")
    price: Decimal
    currency: str = attrs.field(validator=_currency)
    """ISO 4217 code, e.g. ``USD``."""
    price_basis: PriceBasis = PriceBasis.EXACT
    free_shipping: bool = False
    money_back_days: int | None = attrs.field(default=None, validator=_guarantee)
    """Length of the money-back guarantee in days; None when there is none."""
    availability: Availability | None = None
    """Only when someone who knows the stock says so; channels omit it otherwise."""
    url: str | None = attrs.field(default=None, validator=href)

    def __attrs_post_init__(self) -> None:
        self._check_price()

    def _check_price(self) -> None:
        if not self.price.is_finite() or self.price < 0:
            raise FieldError("price", f"{self.price} is not a price", "write an amount like 34.99")
        if self.price > _MAX_PRICE:
            raise FieldError(
                "price", f"{self.price} is more than {_MAX_PRICE:,}", "check the amount"
            )
        exponent = currency_exponent(self.currency)
        places = -int(self.price.as_tuple().exponent)
        if exponent is not None and places > exponent:
            raise FieldError(
                "price",
                f"{self.price} has {places} decimal places; {self.currency} has {exponent}",
                f"round the price to {exponent} decimal places",
            )
