"""The interface every e-invoicing provider backend implements (``settings.INVOICE_BACKEND``).

Issuing is asynchronous at every provider: ``issue`` hands the request over and returns the
provider's serial number; ``query`` says later whether it was issued (with the number and the
file's address), is still in progress, or failed. A reversal (红冲) takes provider-specific
steps; ``reverse`` takes one or more of them, keeping what it learnt in ``progress`` (stored on
the invoice), and returns the red invoice's serial number once it has one.

Two errors: ``ProviderUnavailable`` (network, credentials, throttling: nothing is wrong with the
invoice, so the call is retried with backoff) and ``ProviderRefused`` (the provider said no to
this invoice: stored on the invoice for finance).
"""
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class ProviderUnavailable(OSError):
    """The provider could not be reached or would not talk to us; try again later. An OSError,
    so the outbox's tasks retry it with backoff."""


class ProviderRefused(Exception):
    """The provider refused this invoice (a business error); the reason is for finance."""


@dataclass(frozen=True)
class InvoiceLine:
    name: str
    amount: Decimal  # tax included
    goods_code: str  # 税收分类编码
    tax_rate: Decimal


@dataclass(frozen=True)
class InvoiceRequest:
    request_no: str  # ours, unique per attempt (the provider's orderNo)
    buyer_name: str
    buyer_tax_id: str
    email: str
    mobile: str
    line: InvoiceLine
    remark: str = ""


@dataclass(frozen=True)
class InvoiceResult:
    status: str  # "issuing" | "issued" | "failed"
    number: str = ""
    pdf_url: str = ""
    failure_reason: str = ""


@dataclass(frozen=True)
class BlueInvoice:
    """What a reversal needs to know of the invoice it cancels."""

    request_no: str
    serial_no: str
    number: str
    buyer_name: str
    buyer_tax_id: str
    red_request_no: str
    reason: str


class InvoiceBackend(Protocol):
    name: str

    def issue(self, request: InvoiceRequest) -> str: ...

    def find(self, request_no: str) -> str | None:
        """The serial number of an invoice already requested under ``request_no``, if any (a
        retry after a lost answer must not issue twice)."""
        ...

    def query(self, serial_no: str) -> InvoiceResult: ...

    def reverse(self, blue: BlueInvoice, progress: dict) -> str | None: ...

    def download(self, url: str) -> bytes: ...


@lru_cache(maxsize=1)
def _backend_class(path: str):
    return import_string(path)


def invoice_backend() -> InvoiceBackend:
    return _backend_class(settings.INVOICE_BACKEND)()


def backend_name() -> str:
    """The configured provider's name (kept on each invoice it issues), without connecting."""
    return _backend_class(settings.INVOICE_BACKEND).name
