"""The accounts app's error tree: views turn each into a message next to its field."""


class AccountsError(Exception):
    """Base of the accounts app's refusals."""


class VerificationRefused(AccountsError):
    """A verification code was not sent or not accepted; the message says why."""
