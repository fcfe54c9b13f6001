"""Expert terms on the deadline scanner: reminders 60 and 30 days ahead, expiry when a term ends."""
from core.deadlines import deadline_scanner

from . import pool, visits


@deadline_scanner("experts.term_reminders")
def remind_terms(now):
    return pool.experts_remind(now=now)


@deadline_scanner("experts.term_expiry")
def expire_terms(now):
    return pool.experts_expire(now=now)


@deadline_scanner("experts.invitations_lapse")
def lapse_invitations(now):
    return visits.invitations_lapse(now=now)


@deadline_scanner("experts.visit_reminders")
def remind_visits(now):
    return visits.visits_remind(now=now)
