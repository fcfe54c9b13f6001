"""What payments needs from anything it collects money for.

A payable model (membership dues, evaluation fees) describes itself through the ``Payable``
protocol: plain reads of its own row. What payments asks of the paying *workflow* (is a
payment due now? the money has arrived) goes through ``register_payable``, which the paying
app's ``apps.py`` calls with its own selector and service. So payments never imports the
domains, and a domain model never imports its services to react to a payment.
"""
from collections.abc import Callable
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


@dataclass(frozen=True)
class PayableWorkflow:
    """``due(payable) -> bool``: whether the payable waits for a payment now (asked under a lock
    on its row: before an order is opened, and again when one is paid, so nothing is paid for
    twice). ``paid(payable=, order=, by=)``: runs inside the transaction that marks the order
    paid (the order row is locked); must lock its own row, be idempotent, and schedule its
    side effects with on_commit."""

    due: Callable[..., bool]
    paid: Callable[..., None]


_workflows: dict[str, PayableWorkflow] = {}


def register_payable(model, *, due: Callable[..., bool], paid: Callable[..., None]) -> None:
    """Called once, from the paying app's ready()."""
    _workflows[model._meta.label_lower] = PayableWorkflow(due=due, paid=paid)


def workflow_of(payable) -> PayableWorkflow:
    try:
        return _workflows[payable._meta.label_lower]
    except KeyError:
        raise LookupError(f"{payable._meta.label} is not a registered payable") from None


def payment_due(payable) -> bool:
    return workflow_of(payable).due(payable)


def payable_paid(payable, *, order, by) -> None:
    workflow_of(payable).paid(payable=payable, order=order, by=by)
