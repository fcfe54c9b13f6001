"""Which fee gets which official document, and how an e-invoice describes it.

``settings.INVOICE_DOCUMENTS`` maps a payable model ("app_label.model") to a document kind:
membership dues of a social organisation are receipted with a 社会团体会费票据 (财政电子票据,
recorded by finance), service fees (evaluations, training, purchasing service fees) get a
数电发票 through the provider. Anything not listed gets a 数电发票.

``settings.INVOICE_ITEMS`` gives each payable's tax classification code and rate ("*" for the
rest), as the association's tax office agreed them.
"""
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from ..models import Invoice, Order
from .backend import InvoiceLine


def _label(order: Order) -> str:
    content_type = ContentType.objects.get_for_id(order.content_type_id)  # Django's cache: no query
    return f"{content_type.app_label}.{content_type.model}"


def document_kind(order: Order) -> str:
    kind = settings.INVOICE_DOCUMENTS.get(_label(order), Invoice.Kind.E_INVOICE)
    if kind not in Invoice.Kind.values:
        raise ValueError(f"INVOICE_DOCUMENTS: unknown document kind {kind!r} for {_label(order)}")
    return kind


def invoice_line(order: Order) -> InvoiceLine:
    item = settings.INVOICE_ITEMS.get(_label(order)) or settings.INVOICE_ITEMS["*"]
    return InvoiceLine(name=order.description, amount=order.amount, goods_code=item["goods_code"],
                       tax_rate=Decimal(str(item["tax_rate"])))
