"""apotheca: a pharmacy domain engine — stock ledger and FEFO batch allocation.

    >>> import apotheca
    >>> from datetime import date
    >>> apotheca.parse_expiry("EXP 06/2027")
    datetime.date(2027, 6, 30)

Values in and out are plain dicts and lists (see :mod:`apotheca.types`), with ``Decimal`` money
and ``datetime.date`` dates, so results drop straight into ``pandas.DataFrame(...)``.
Errors are :class:`ApothecaError` subclasses with a stable ``code``.
"""

from ._errors import (
    ApothecaError,
    ConflictError,
    EventLogError,
    InputError,
    InternalError,
    NotFoundError,
    StockError,
)
from ._native import Ledger, error_codes, parse_expiry, version

__version__: str = version()

__all__ = [
    "ApothecaError",
    "ConflictError",
    "EventLogError",
    "InputError",
    "InternalError",
    "Ledger",
    "NotFoundError",
    "StockError",
    "error_codes",
    "parse_expiry",
    "version",
]
