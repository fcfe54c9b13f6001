"""The payments error tree; views turn each into a clear message."""


class PaymentError(Exception):
    """Base of every payments error; its message is shown to the person."""


class OrderNotOpen(PaymentError):
    """The order is paid, closed, or waiting for finance, so it cannot take this step."""


class NothingToPay(PaymentError):
    """The payable does not wait for a payment (already paid, or not yet payable)."""


class TransferRefused(PaymentError):
    """A bank transfer cannot be accepted (another payer, or a step without its reason)."""


class GatewayError(PaymentError):
    """WeChat Pay did not accept a request (network, credentials, or a refusal)."""


class NotificationRejected(PaymentError):
    """A payment notification failed verification; nothing was changed."""


class InvoiceRefused(PaymentError):
    """An invoice or receipt cannot take this step now (already issued, still being issued)."""


class RefundRefused(PaymentError):
    """A refund cannot be recorded (no reason given, or the order is not paid)."""
