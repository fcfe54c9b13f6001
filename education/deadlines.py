"""The education app's clocks on the deadline scanner: unpaid seats released after 48 hours,
and credits within 5 working days of a project's end."""
from core.deadlines import deadline_scanner
from education.credits import services as credits
from education.registration import services as registration


@deadline_scanner("education.unpaid_seats")
def release_unpaid_seats(now):
    return registration.registrations_release_unpaid(now=now)


@deadline_scanner("education.credit_projects")
def credit_finished_projects(now):
    return credits.projects_credit(now=now)
