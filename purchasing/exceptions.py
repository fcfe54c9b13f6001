"""The purchasing error tree; views and admin buttons show each message as it is."""


class PurchasingError(Exception):
    """Base: the message says what is wrong and what to do."""


class SupplierRefused(PurchasingError):
    """A supplier step refused (a missing licence, a decision without a reason, ...)."""


class ListingRefused(PurchasingError):
    """A product that may not be listed now (no valid matching licence, a wrong number)."""


class RoundRefused(PurchasingError):
    """A round step refused (not open, closed, not an active member, window passed, ...)."""


class OrderRefused(PurchasingError):
    """An order step refused (not yours, not in that state)."""
