"""The evaluation clocks on the deadline scanner (core.deadlines): each scanner only calls a
service. What happens when a clock runs out, and whom it reminds, is its programme's rule
(evaluation/programmes/<kind>.py); acting twice on a clock changes nothing."""
from core.deadlines import deadline_scanner

from . import services


@deadline_scanner("evaluation.clocks")
def act_on_clocks(now):
    return services.clocks_act(now=now)


@deadline_scanner("evaluation.reminders")
def remind_office(now):
    return services.clocks_remind(now=now)


@deadline_scanner("evaluation.expire_results")
def expire_results(now):
    return services.results_expire(now=now)


@deadline_scanner("evaluation.rectifications_overdue")
def flag_late_rectifications(now):
    return services.rectifications_overdue(now=now)


def act_on_deadline(*, deadline_id: int, now) -> None:
    """Act on one clock that has run out, as the scanner would (used by demo data)."""
    services.clock_act_now(deadline_id=deadline_id, now=now)
