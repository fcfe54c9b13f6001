"""A star evaluation ready for its on-site review, a trained pool, and a visit driven to any step."""
import datetime as dt
from decimal import Decimal

from django.utils import timezone

from evaluation import services as evaluation_services
from evaluation.models import Evaluation, Programme
from experts.models import Invitation, Visit
from experts.pool.tests.helpers import appointed, trained
from experts.review import reports
from experts.review import services as visits
from tests.evaluation.helpers import office
from tests.membership.factories import UnitMemberFactory

WITNESS = "评价领导小组 王监督"
ITEMS = [("机构管理", [("执业许可与依法执业", 10), ("组织架构与制度", 20)]), ("医疗服务", [("患者满意度", 20)])]


def standard() -> Programme:
    programme = Programme.objects.get(kind="capability")
    if not programme.criteria.exists():
        evaluation_services.standard_import(programme=programme, chapters=[
            {"text": chapter, "items": [{"text": text, "max_points": top, "evidence_required": False}
                                        for text, top in items]} for chapter, items in ITEMS])
    return programme


def in_expert_review(member=None) -> Evaluation:
    programme = standard()
    member = member or UnitMemberFactory(state="active")
    created = Evaluation.objects.create(programme=programme, member=member, agreed_at=timezone.now())
    Evaluation.objects.filter(pk=created.pk).update(state=Evaluation.State.EXPERT_REVIEW)
    return Evaluation.objects.get(pk=created.pk)


def trained_pool(specialties=("clinical",) * 8 + ("nursing", "nursing", "law", "finance")) -> list:
    return [trained(appointed(specialty=s)) for s in specialties]


def dates(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    first = visits.earliest_first_day(today or timezone.localdate())
    return first, first + dt.timedelta(days=1)


def planned(evaluation=None, *, size=5, specialties=(), by=None) -> Visit:
    evaluation = evaluation or in_expert_review()
    first, last = dates()
    return visits.visit_create(evaluation_id=evaluation.pk, group_size=size, first_day=first, last_day=last,
                               specialties=list(specialties), by=by or office())


def drawn(visit=None, by=None) -> Visit:
    by = by or office()
    visit = visit or planned(by=by)
    visits.visit_freeze(visit_id=visit.pk, by=by)
    return visits.visit_draw(visit_id=visit.pk, witness_name=WITNESS, witness_value="7301", by=by)


def seated(visit: Visit) -> list[Invitation]:
    return list(visit.invitations.filter(state__in=Invitation.OPEN_STATES).select_related("expert__user")
                .order_by("rank"))


def confirmed(visit=None, by=None) -> Visit:
    visit = visit or drawn(by=by)
    for invitation in seated(visit):
        if invitation.state == Invitation.State.INVITED:
            visits.invitation_confirm(invitation_id=invitation.pk, by=invitation.expert.user)
    return Visit.objects.get(pk=visit.pk)


def notified(visit=None, by=None) -> Visit:
    by = by or office()
    visit = confirmed(visit, by=by)
    group = seated(visit)
    visits.visit_name_roles(visit_id=visit.pk, head_id=group[0].pk, leader_id=group[1].pk, by=by)
    return visits.visit_notify(visit_id=visit.pk, by=by)


def score_all(visit: Visit, points=(Decimal(8), Decimal(15), Decimal(18))) -> None:
    """Every seated member scores every item (the same points) and submits."""
    items = list(visit.evaluation.programme.criteria.filter(parent__isnull=False).order_by("parent__position",
                                                                                           "position"))
    for member in seated(visit):
        assignment = visit.evaluation.assignments.get(evaluator=member.expert.user)
        evaluation_services.assignment_save_scores(
            assignment_id=assignment.pk, scores={i.pk: (p, "") for i, p in zip(items, points, strict=True)},
            comment="", submit=True, by=member.expert.user)


def head_of(visit: Visit) -> Invitation:
    return visit.invitations.get(role=Invitation.Role.HEAD, state=Invitation.State.CONFIRMED)


def circulated(visit: Visit):
    head = head_of(visit).expert.user
    reports.report_save(visit_id=visit.pk, overview="管理规范。", highlights="诚信经营。", problems="病历书写需加强。", by=head)
    return reports.report_circulate(visit_id=visit.pk, by=head)
