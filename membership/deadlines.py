from core.deadlines import deadline_scanner

from . import services


@deadline_scanner("membership.renewal_reminders")
def renewal_reminders(now):
    return services.memberships_remind(now=now)


@deadline_scanner("membership.expire_terms")
def expire_terms(now):
    return services.memberships_expire(now=now)


@deadline_scanner("membership.purge_abandoned_join_drafts")
def purge_abandoned_join_drafts(now):
    return services.join_drafts_purge(now=now)
