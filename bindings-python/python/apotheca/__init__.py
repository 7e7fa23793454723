"""apotheca: a pharmacy domain engine — stock ledger, FEFO batch allocation, billing and drug
interactions, and demand forecasts with reorder suggestions.

    >>> import apotheca
    >>> from datetime import date
    >>> apotheca.parse_expiry("EXP 06/2027")
    datetime.date(2027, 6, 30)

Values in and out are plain dicts and lists (see :mod:`apotheca.types`), with ``Decimal`` money
and ``datetime.date`` dates, so results drop straight into ``pandas.DataFrame(...)``. Long sales frames (pandas, polars or
any Arrow table) go to :func:`forecast_frame`, :func:`cross_validation_frame` and
:func:`fitted_frame` and come back as frames of the same kind, shaped as statsforecast's.
Errors are :class:`ApothecaError` subclasses with a stable ``code``.
"""

from ._errors import (
    ApothecaError,
    BillingError,
    ConflictError,
    EventLogError,
    InputError,
    InternalError,
    StoreUnavailableError,
    NotFoundError,
    StockError,
    TaxRuleError,
)
from ._frames import (
    ArrowStream,
    ArrowTable,
    ModelLike,
    ProgressLike,
    cross_validation_frame,
    fitted_frame,
    forecast_frame,
)
from ._native import (
    Billing,
    Interactions,
    Ledger,
    amount_in_words,
    average_monthly_consumption,
    backtest,
    check_invoice_numbers,
    classify,
    compute_document,
    compute_taxes,
    credit_note,
    daily_summary,
    error_codes,
    forecast,
    forecast_long,
    forecast_matrix,
    next_invoice_number,
    parse_expiry,
    reprice,
    settle_payments,
    suggest_orders,
    version,
)

__version__: str = version()

__all__ = [
    "ApothecaError",
    "ArrowStream",
    "ArrowTable",
    "Billing",
    "BillingError",
    "ConflictError",
    "EventLogError",
    "InputError",
    "Interactions",
    "InternalError",
    "StoreUnavailableError",
    "Ledger",
    "ModelLike",
    "NotFoundError",
    "StockError",
    "TaxRuleError",
    "amount_in_words",
    "backtest",
    "check_invoice_numbers",
    "classify",
    "credit_note",
    "cross_validation_frame",
    "daily_summary",
    "error_codes",
    "fitted_frame",
    "forecast",
    "forecast_frame",
    "forecast_long",
    "forecast_matrix",
    "next_invoice_number",
    "parse_expiry",
    "ProgressLike",
    "settle_payments",
    "compute_taxes",
    "compute_document",
    "average_monthly_consumption",
    "reprice",
    "suggest_orders",
    "version",
]
