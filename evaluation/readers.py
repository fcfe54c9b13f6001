"""Who else may read an evaluation's files: other apps register a check here (the experts app:
committee members with the case on their agenda), so evaluation never imports them."""
from collections.abc import Callable

_checks: list[Callable] = []


def register_reader(check: Callable) -> Callable:
    """``check(user, evaluation) -> bool``; registered once, in the app's ready()."""
    if check not in _checks:
        _checks.append(check)
    return check


def may_read(user, evaluation) -> bool:
    return any(check(user, evaluation) for check in _checks)
