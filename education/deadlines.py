"""The education app's clocks on the deadline scanner: credits within 5 working days of a
project's end."""
from core.deadlines import deadline_scanner
from education.credits import services as credits


@deadline_scanner("education.credit_projects")
def credit_finished_projects(now):
    return credits.projects_credit(now=now)
