"""Expert terms on the deadline scanner: reminders 60 and 30 days ahead, expiry when a term ends."""
from core.deadlines import deadline_scanner
from experts.pool import services as pool


@deadline_scanner("experts.term_reminders")
def remind_terms(now):
    return pool.experts_remind(now=now)


@deadline_scanner("experts.term_expiry")
def expire_terms(now):
    return pool.experts_expire(now=now)
