"""The membership error tree; views and admin buttons show each message as it is."""


class MembershipError(Exception):
    """Base: the message says what is wrong and what to do."""


class MissingReason(MembershipError):
    """A decision that must say why was taken without a reason."""


class AlreadyDecided(MembershipError):
    """Someone else decided this first."""


class ContactRefused(MembershipError):
    """The contact change would leave the member without a primary contact."""


class AlreadyRegistered(MembershipError):
    """The join application was completed already (a second click, another tab)."""


class WrongState(MembershipError):
    """The member's state moved on (another click or person) before this step."""
