"""The purchasing app's clocks on the deadline scanner: licences (a warning 30 days ahead,
listings suspended at expiry), rounds closing, and the 3-working-day confirmation window."""
from core.deadlines import deadline_scanner
from purchasing.catalogue import services as catalogue
from purchasing.orders import services as orders
from purchasing.rounds import services as rounds


@deadline_scanner("purchasing.licences")
def watch_licences(now):
    return catalogue.licences_watch(now=now)


@deadline_scanner("purchasing.close_rounds")
def close_rounds(now):
    return rounds.rounds_close(now=now)


@deadline_scanner("purchasing.finish_rounds")
def finish_rounds(now):
    return orders.rounds_finish(now=now)
