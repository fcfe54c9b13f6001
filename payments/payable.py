"""What payments needs from anything it collects money for.

Membership dues and evaluation fees implement this protocol; payments never imports them.
``on_paid`` runs inside the transaction that marks the order paid (the order row is locked),
must lock its own row, be idempotent, and schedule its side effects with on_commit.
"""
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class InvoiceParty:
    """Whom the invoice is made out to: fixed by the payable, never typed by the payer."""

    title: str
    tax_id: str = ""  # unified social credit code for units; empty for individuals


@dataclass(frozen=True)
class PaymentContext:
    """How the payment pages present themselves inside the workflow that opened them."""

    title: str  # e.g. "社会信用评价 · 缴纳评价费"
    steps: list  # [(label, "done" | "current" | "todo")], the workflow's own progress steps
    next_step: str  # what happens once the money has arrived
    invoice_button: str = "提交"  # the manual's label for confirming the invoice information


@runtime_checkable
class Payable(Protocol):
    pk: int

    def payment_description(self) -> str: ...

    def payment_amount(self) -> Decimal: ...

    def payment_payer(self): ...

    def invoice_party(self) -> InvoiceParty: ...

    def invoice_contact(self) -> tuple[str, str]:
        """Default (email, mobile) for delivering the invoice."""
        ...

    def payment_done_url(self) -> str: ...

    def payment_context(self) -> PaymentContext: ...

    def payment_due(self) -> bool:
        """Whether this payable waits for a payment now (asked under a lock on its row: before
        an order is opened, and again when one is paid, so nothing is paid for twice)."""
        ...

    def on_paid(self, *, order, by) -> None: ...
