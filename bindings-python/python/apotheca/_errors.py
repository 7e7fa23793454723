"""The apotheca exception hierarchy. Every exception has a stable ``code`` (the same string in
every language) and a ``message`` naming the offending value."""

from __future__ import annotations


class ApothecaError(Exception):
    """Base of every error raised by apotheca."""

    code: str
    message: str

    def __init__(self, message: str, code: str = "INTERNAL") -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __reduce__(self) -> tuple[type[ApothecaError], tuple[str, str]]:
        return (type(self), (self.message, self.code))

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


_FAMILY: dict[str, type[ApothecaError]] = {
    "INVALID_QUANTITY": InputError,
    "INVALID_INPUT": InputError,
    "INVALID_DATE": InputError,
    "MALFORMED_INPUT": InputError,
    "UNKNOWN_PRODUCT": NotFoundError,
    "UNKNOWN_LOCATION": NotFoundError,
    "UNKNOWN_BATCH": NotFoundError,
    "ALREADY_REGISTERED": ConflictError,
    "INSUFFICIENT_STOCK": StockError,
    "BATCH_EXPIRED": StockError,
    "BATCH_BLOCKED": StockError,
    "SAME_LOCATION_TRANSFER": ConflictError,
    "TRANSFER_MISMATCH": ConflictError,
    "RESERVATION_MISMATCH": ConflictError,
    "DUPLICATE_POSTING": ConflictError,
    "UNSUPPORTED_SCHEMA": EventLogError,
    "CORRUPT_LOG": EventLogError,
    "INTERNAL": InternalError,
    "UNKNOWN_TAX_CATEGORY": TaxRuleError,
    "INVALID_TAX_RULES": TaxRuleError,
    "PRICE_ABOVE_MRP": BillingError,
    "DISCOUNT_TOO_LARGE": BillingError,
    "RETURN_EXCEEDS_SOLD": BillingError,
    "OVERPAYMENT": BillingError,
    "INVALID_INVOICE_NUMBER": InputError,
    "INVALID_KNOWLEDGE_BASE": InputError,
    "UNKNOWN_DRUG": NotFoundError,
    "INVALID_SERIES": InputError,
    "AMOUNT_OUT_OF_RANGE": InputError,
    "LIMIT_EXCEEDED": InputError,
    "STORE_UNAVAILABLE": StoreUnavailableError,
}


def _from_native(code: str, message: str) -> ApothecaError:
    """Called by the native module to build the exception for an error code."""
    return _FAMILY.get(code, ApothecaError)(message, code)
