"""The payments error tree; views turn each into a clear message."""


class PaymentError(Exception):
    """Base of every payments error; its message is shown to the person."""


class OrderNotOpen(PaymentError):
    """The order is paid, closed, or waiting for finance, so it cannot take this step."""


class GatewayError(PaymentError):
    """WeChat Pay did not accept a request (network, credentials, or a refusal)."""


class NotificationRejected(PaymentError):
    """A payment notification failed verification; nothing was changed."""
