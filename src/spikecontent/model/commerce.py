"""Products and the offers made for them."""

from __future__ import annotations

import enum
from decimal import Decimal

import attrs

from spikecontent.model.fields import (
    CrossChecked,
    FieldError,
    href,
    identifier,
    must_be,
    non_empty,
    non_empty_text,
    ref,
)
from spikecontent.model.media import Image

__all__ = [
    "Availability",
    "Condition",
    "DayRange",
    "Offer",
    "PriceBasis",
    "Product",
    "ReturnFees",
    "ReturnMethod",
    "Shipping",
    "currency_exponent",
]


def currency_exponent(code: str) -> int | None:
    """Minor-unit digits of an active ISO 4217 currency code, or None when unknown."""
    import iso4217  # imported lazily: it reads its data table on import

    try:
        return int(iso4217.Currency(code).exponent or 0)
    except ValueError:
        return None


def _gtin(_: object, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is None:
        return
    if not value.isascii() or not value.isdigit() or len(value) not in (8, 12, 13, 14):
        raise FieldError(
            attribute.name,
            f"{value!r} is not a GTIN",
            "copy the 8, 12, 13 or 14 digits under the barcode, in quotes",
        )
    # GS1's check digit: the other digits weighted 3, 1, 3, ... from the right, mod 10.
    body = [int(d) for d in reversed(value[:-1])]
    check = -sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(body)) % 10
    if check != int(value[-1]):
        raise FieldError(
            attribute.name,
            f"{value!r} fails its check digit (it would be {check})",
            "copy the number again from the barcode: a digit is wrong or missing",
        )


@attrs.frozen(kw_only=True)
class Product:
    """A product the content is about."""

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=non_empty_text)
    url: str = attrs.field(validator=href)
    reviews_url: str | None = attrs.field(default=None, validator=href)
    description: str | None = attrs.field(default=None, validator=non_empty_text)
    """One or two plain sentences about the product itself (not a claim)."""
    brand: str | None = attrs.field(default=None, validator=non_empty_text)
    sku: str | None = attrs.field(default=None, validator=non_empty_text)
    """The seller's stock-keeping unit."""
    gtin: str | None = attrs.field(default=None, validator=_gtin)
    """The GS1 trade item number under the barcode (8, 12, 13 or 14 digits, quoted)."""
    image: Image | None = None


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


class ReturnMethod(enum.Enum):
    """How a return reaches the seller; schema.org's ReturnMethodEnumeration."""

    BY_MAIL = "by-mail"
    IN_STORE = "in-store"
    AT_KIOSK = "at-kiosk"

    @property
    def schema_org(self) -> str:
        """The schema.org URL, e.g. ``https://schema.org/ReturnByMail``."""
        words = self.value.split("-")
        return "https://schema.org/Return" + "".join(w.title() for w in words)


class ReturnFees(enum.Enum):
    """Who pays for a return; the two of schema.org's ReturnFeesEnumeration that need no
    amount."""

    FREE = "free"
    CUSTOMER_PAYS = "customer-pays"

    @property
    def schema_org(self) -> str:
        """The schema.org URL: ``FreeReturn`` or ``ReturnFeesCustomerResponsibility``."""
        name = "FreeReturn" if self is ReturnFees.FREE else "ReturnFeesCustomerResponsibility"
        return f"https://schema.org/{name}"


class Condition(enum.Enum):
    """The state of the item sold; schema.org's OfferItemCondition."""

    NEW = "new"
    REFURBISHED = "refurbished"
    USED = "used"
    DAMAGED = "damaged"

    @property
    def schema_org(self) -> str:
        """The schema.org URL, e.g. ``https://schema.org/NewCondition``."""
        return f"https://schema.org/{self.value.title()}Condition"


def _countries(
    _: object, attribute: attrs.Attribute[tuple[str, ...]], value: tuple[str, ...]
) -> None:
    import iso3166  # imported lazily: it builds its tables on import

    for index, code in enumerate(value):
        if len(code) != 2 or not code.isupper() or code not in iso3166.countries_by_alpha2:
            raise FieldError(
                (attribute.name, index),
                f"{code!r} is not an ISO 3166-1 country code",
                "use a two-letter code such as 'US', 'GB' or 'DE'",
            )
    if len(set(value)) != len(value):
        raise FieldError(attribute.name, "names a country twice", "list each country once")


_MAX_DAYS = 365


@attrs.frozen(kw_only=True)
class DayRange:
    """From ``min`` to ``max`` days, both counted."""

    min: int
    max: int

    def __attrs_post_init__(self) -> None:
        if not 0 <= self.min <= self.max <= _MAX_DAYS:
            raise FieldError(
                "max" if self.min >= 0 else "min",
                f"{self.min} to {self.max} days is not a range of days",
                f"give min and max as whole days, 0 <= min <= max <= {_MAX_DAYS}",
            )


@attrs.frozen(kw_only=True)
class Shipping:
    """Where the offer ships and how long it takes, as the shop's shipping policy says."""

    countries: tuple[str, ...] = attrs.field(validator=[non_empty, _countries])
    """ISO 3166-1 codes of the countries this applies to."""
    handling_days: DayRange
    """From order to dispatch."""
    transit_days: DayRange
    """From dispatch to the door."""
    rate: Decimal | None = None
    """The shipping cost in the offer's currency; None with ``free_shipping`` (it is 0)."""


class PriceBasis(enum.Enum):
    """Whether a price is the price, or the lowest of several ("From $34.99")."""

    EXACT = "exact"
    FROM = "from"


_currency = must_be(
    "an ISO 4217 currency code",
    lambda value: currency_exponent(value) is not None,
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
class Offer(CrossChecked):
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
    condition: Condition | None = None
    shipping: Shipping | None = None
    """Only as the shop's shipping policy states it; channels omit shipping details otherwise."""
    return_countries: tuple[str, ...] = attrs.field(default=(), validator=_countries)
    """Countries the money-back guarantee (its return policy) applies in."""
    return_method: ReturnMethod | None = None
    """How a return is made, as the shop's return policy states it."""
    return_fees: ReturnFees | None = None
    """Who pays for a return, as the shop's return policy states it."""

    CROSS_CHECKS = ("_check_price", "_check_shipping_rate", "_check_return_terms")

    def _check_return_terms(self) -> None:
        for name in ("return_method", "return_fees"):
            if getattr(self, name) is not None and not self.money_back_days:
                raise FieldError(
                    name,
                    "says how returns work, but the offer takes no returns (no money_back_days)",
                    "set money_back_days, or remove it",
                )

    @property
    def shipping_rate(self) -> Decimal | None:
        """What shipping costs: 0 with free shipping, else the shipping policy's rate."""
        if self.free_shipping:
            return Decimal(0)
        return self.shipping.rate if self.shipping else None

    def _check_shipping_rate(self) -> None:
        rate = self.shipping.rate if self.shipping else None
        if rate is None:
            return
        if self.free_shipping and rate != 0:
            raise FieldError(
                ("shipping", "rate"),
                f"is {rate} but the offer says free_shipping",
                "remove the rate, or set free_shipping: false",
            )
        self._check_amount(("shipping", "rate"), rate, "shipping rate")

    def _check_price(self) -> None:
        self._check_amount(("price",), self.price, "price")

    def _check_amount(self, path: tuple[str, ...], amount: Decimal, noun: str) -> None:
        """An amount in the offer's currency: a price, finite, at most a million, with no
        more decimal places than the currency has."""
        if not amount.is_finite() or amount < 0:
            raise FieldError(path, f"{amount} is not a price", "write an amount like 34.99")
        if amount > _MAX_PRICE:
            raise FieldError(path, f"{amount} is more than {_MAX_PRICE:,}", "check the amount")
        exponent = currency_exponent(self.currency)
        places = -int(amount.as_tuple().exponent)
        if exponent is not None and places > exponent:
            raise FieldError(
                path,
                f"{amount} has {places} decimal places; {self.currency} has {exponent}",
                f"round the {noun} to {exponent} decimal places",
            )
