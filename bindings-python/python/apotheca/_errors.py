"""The apotheca exception hierarchy. Every exception has a stable ``code`` (the same string in
every language), a ``message`` naming the offending value and ``details``, the same facts as
data. Which class each code raises is generated from the Rust declaration (``_codes.py``)."""

from __future__ import annotations

from typing import Any

from . import _codes


class ApothecaError(Exception):
    """Base of every error raised by apotheca."""

    code: str
    message: str
    #: What the error is about, as data: ``path`` of the offending field, ``product``,
    #: ``batch``, ``location``, ``requested``, ``available``, ``drug`` — each only where the
    #: error has it (``INSUFFICIENT_STOCK`` carries ``requested`` and ``available``).
    details: dict[str, Any]

    def __init__(
        self, message: str, code: str = "INTERNAL", details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = dict(details or {})

    def __reduce__(
        self,
    ) -> tuple[type[ApothecaError], tuple[str, str, dict[str, Any]]]:
        return (type(self), (self.message, self.code, self.details))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.code!r})"


class InputError(ApothecaError, ValueError):
    """The input was malformed or out of range: a bad quantity, id, date or shape."""


class NotFoundError(ApothecaError, LookupError):
    """An unknown product, location, batch or drug."""


class StockError(ApothecaError):
    """Not enough usable stock: insufficient, expired or blocked (quarantined / recalled)."""


class ConflictError(ApothecaError):
    """The request conflicts with what the ledger holds: a reused idempotency key, an id
    registered with other data, a transfer or reservation that does not match."""


class EventLogError(ApothecaError):
    """An event log that cannot be replayed by this version."""


class BillingError(ApothecaError):
    """A bill that cannot be issued as asked: a price above the MRP, a discount larger than its
    base, a return of more than was sold, an overpayment without cash for change."""


class TaxRuleError(ApothecaError):
    """Tax master data is missing or wrong: an unknown tax category, or a rule set that does
    not validate."""


class StoreUnavailableError(ApothecaError, ConnectionError):
    """The ledger's store (SQLite file, PostgreSQL server) could not be reached or could not
    commit. Nothing changed: retry the write with the same idempotency key once it is back."""


class InternalError(ApothecaError):
    """A bug inside apotheca (an internal panic caught at the boundary). Please report it."""


def _from_native(code: str, message: str, details: dict[str, Any] | None = None) -> ApothecaError:
    """Called by the native module to build the exception for an error code."""
    cls: type[ApothecaError] = globals().get(_codes.FAMILY.get(code, ""), ApothecaError)
    return cls(message, code, details)
