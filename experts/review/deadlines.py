"""On-site reviews on the deadline scanner: unanswered invitations lapse, groups are reminded
before their visit."""
from core.deadlines import deadline_scanner
from experts.review import services as visits


@deadline_scanner("experts.invitations_lapse")
def lapse_invitations(now):
    return visits.invitations_lapse(now=now)


@deadline_scanner("experts.visit_reminders")
def remind_visits(now):
    return visits.visits_remind(now=now)
