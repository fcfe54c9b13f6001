"""Reads about on-site reviews: the draw's candidate pool, the groups, their scores, and the
draws made before."""
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, QuerySet

from evaluation.models import Assignment, CriterionScore
from evaluation.selectors import items_of
from experts.pool.models import Expert
from experts.pool.selectors import in_term, trained, under_age, without_conflict
from experts.review.models import Invitation, SecondApproval, Visit


def busy_between(first_day: dt.date, last_day: dt.date, *, exclude_visit: int | None = None) -> QuerySet:
    """Ids of experts invited to or confirmed for another visit on overlapping dates."""
    return (Invitation.objects.filter(state__in=Invitation.OPEN_STATES, visit__first_day__lte=last_day,
                                      visit__last_day__gte=first_day).exclude(visit__state=Visit.State.CANCELLED)
            .exclude(visit_id=exclude_visit).values_list("expert_id", flat=True))


def visits_in_year(year: int, *, exclude_visit: int | None = None) -> dict[int, int]:
    """Visits per expert in ``year`` (invited or confirmed, by the visit's first day)."""
    rows = (Invitation.objects.filter(state__in=Invitation.OPEN_STATES, visit__first_day__year=year)
            .exclude(visit__state=Visit.State.CANCELLED).exclude(visit_id=exclude_visit)
            .values("expert_id").annotate(n=Count("id")).values_list("expert_id", "n"))
    return dict(rows)


def candidate_pool(*, visit: Visit) -> tuple[list[list], list[list]]:
    """The pool a visit's group is drawn from, and everyone else who was ever appointed with
    the first reason they may not go: ``([[id, specialty]], [[id, reason]])``, sorted by id.
    The rules (004 §9-13): appointed and in term through the last visit day, trained for the
    programme, under 70 on the last visit day, no conflict with the institution, not on another
    visit on those dates, under the yearly cap of visits (EXPERT_VISITS_PER_YEAR)."""
    evaluation, first, last = visit.evaluation, visit.first_day, visit.last_day
    member = evaluation.member
    experts = Expert.objects.filter(term_start__isnull=False).order_by("pk")
    everyone = dict(experts.values_list("pk", "specialty"))
    appointed = set(experts.filter(state__in=[Expert.State.APPOINTED, Expert.State.APPLIED]).values_list("pk", flat=True))
    covered = set(experts.filter(in_term(first), in_term(last)).values_list("pk", flat=True))
    was_trained = set(experts.filter(trained(evaluation.programme.kind)).values_list("pk", flat=True))
    young = set(experts.filter(under_age(last)).values_list("pk", flat=True))
    clear = set(without_conflict(experts, credit_code=member.credit_code, name=member.name, start=first,
                                 end=last).values_list("pk", flat=True))
    busy = set(busy_between(first, last, exclude_visit=visit.pk))
    cap = settings.EXPERT_VISITS_PER_YEAR
    load = visits_in_year(first.year, exclude_visit=visit.pk)
    rules = [
        (appointed, "未在聘（聘期届满、已解聘或未获聘任）"),
        (covered, f"聘期未覆盖现场评价日期（{first:%Y-%m-%d} 至 {last:%Y-%m-%d}）"),
        (was_trained, "本聘期内未参加本项目评价培训或考核未合格"),
        (young, f"现场评价末日（{last:%Y-%m-%d}）已年满70周岁"),
        (clear, "与受评单位存在利益冲突"),
    ]
    pool, excluded = [], []
    for pk, specialty in everyone.items():
        reason = next((text for allowed, text in rules if pk not in allowed), None)
        if reason is None and pk in busy:
            reason = "同期已有其他现场评价任务"
        if reason is None and load.get(pk, 0) >= cap:
            reason = f"{first.year} 年度现场评价已达 {cap} 次上限"
        if reason is None:
            pool.append([pk, specialty])
        else:
            excluded.append([pk, reason])
    return pool, excluded


# --- scores and the group report ----------------------------------------------------------------

def group_of(visit: Visit) -> list[Invitation]:
    """The seated (confirmed) members of a visit's group, head and leader first."""
    order = {Invitation.Role.HEAD: 0, Invitation.Role.LEADER: 1, Invitation.Role.MEMBER: 2}
    members = visit.invitations.filter(state=Invitation.State.CONFIRMED).select_related("expert__user")
    return sorted(members, key=lambda i: (order[i.role], i.rank))


def membership_of(visit: Visit, user) -> Invitation | None:
    """The user's confirmed seat in the visit's group (None: not a member now)."""
    if not user.is_authenticated:
        return None
    return visit.invitations.filter(state=Invitation.State.CONFIRMED, expert__user=user).select_related(
        "expert").first()


def score_spread(visit: Visit) -> dict:
    """The group's submitted scores per item: each member's score, the minimum, maximum and
    mean, and the items where the members disagree most (range as a share of the maximum).
    ``submitted`` and ``members`` say how many have submitted of how many seated."""
    members = group_of(visit)
    users = [m.expert.user_id for m in members]
    submitted = list(Assignment.objects.filter(evaluation=visit.evaluation_id, evaluator_id__in=users,
                                               state=Assignment.State.SUBMITTED).values_list("pk", "evaluator_id"))
    by_assignment = dict(submitted)
    scores: dict[int, dict[int, Decimal]] = {}
    for assignment_id, criterion_id, score in CriterionScore.objects.filter(
            assignment_id__in=by_assignment).values_list("assignment_id", "criterion_id", "score"):
        scores.setdefault(criterion_id, {})[by_assignment[assignment_id]] = score
    rows = []
    for item in items_of(visit.evaluation.programme):
        given = scores.get(item.pk, {})
        values = list(given.values())
        low, high = (min(values), max(values)) if values else (None, None)
        mean = (sum(values) / len(values)).quantize(Decimal("0.01")) if values else None
        share = (high - low) / item.max_points if values and item.max_points else Decimal(0)
        rows.append({"item": item, "scores": [given.get(u) for u in users], "min": low, "max": high, "mean": mean,
                     "disagreement": share})
    disputed = sorted((r for r in rows if r["disagreement"] > 0), key=lambda r: -r["disagreement"])[:5]
    return {"members": members, "rows": rows, "disputed": disputed, "submitted": len(submitted),
            "seated": len(members)}


def invitations_of(*, expert: Expert) -> list[Invitation]:
    """An expert's current on-site work: invitations to answer and visits they are on (not
    cancelled, not yet reported), soonest first."""
    return list(Invitation.objects.filter(expert=expert, state__in=Invitation.OPEN_STATES)
                .exclude(visit__state__in=[Visit.State.CANCELLED, Visit.State.REPORTED])
                .select_related("visit__evaluation__member").order_by("visit__first_day", "pk"))


def sees_group_scores(visit: Visit, seat: Invitation) -> bool:
    """A member, the head included, sees the group's scores only after submitting their own:
    an expert scores before seeing the others (with one member in, the spread is their score)."""
    return Assignment.objects.filter(evaluation=visit.evaluation_id, evaluator=seat.expert.user_id,
                                     state=Assignment.State.SUBMITTED).exists()


def earlier_draws(visit: Visit) -> list[dict]:
    """Every earlier visit of the same evaluation, oldest first, as the next draw records it
    (and the institution and the replay show it): when its pool was frozen and drawn, its
    digest, commitment, revealed seed and group, and who cancelled it, when and why. A pool
    frozen and cancelled before its draw is listed too (its seed stays unrevealed)."""
    rows = (Visit.objects.filter(evaluation_id=visit.evaluation_id, pk__lt=visit.pk).order_by("pk")
            .select_related("cancelled_by"))
    return [{
        "visit": earlier.pk, "state": earlier.state,
        "frozen_at": earlier.frozen_at.isoformat() if earlier.frozen_at else None,
        "drawn_at": earlier.drawn_at.isoformat() if earlier.drawn_at else None,
        "pool_digest": earlier.pool_digest, "seed_commitment": earlier.seed_commitment, "seed": earlier.seed,
        "witness_value": earlier.witness_value, "group": (earlier.result or {}).get("group", []),
        "cancelled_at": earlier.cancelled_at.isoformat() if earlier.cancelled_at else None,
        "cancelled_by": earlier.cancelled_by.get_full_name() if earlier.cancelled_by else "",
        "cancel_reason": earlier.cancel_reason,
    } for earlier in rows]


@dataclass(frozen=True)
class DrawHistory:
    """What a visit's record, its replay and the institution show of the evaluation's draws:
    the earlier ones (as committed in this visit's frozen pool, once frozen), how many draws
    the evaluation has had in all, and the replacements a second person approved."""

    earlier: list[dict]
    draws: int
    named_replacements: list


def draw_history(visit: Visit) -> DrawHistory:
    earlier = (visit.pool_snapshot or {}).get("earlier_draws")
    if earlier is None:
        earlier = earlier_draws(visit)
    draws = Visit.objects.filter(evaluation_id=visit.evaluation_id, drawn_at__isnull=False).count()
    named = list(visit.approvals.filter(kind=SecondApproval.Kind.NAMED_REPLACEMENT, approved=True)
                 .select_related("invitation__expert", "replacement__expert", "requested_by", "decided_by"))
    return DrawHistory(earlier=earlier, draws=draws, named_replacements=named)
