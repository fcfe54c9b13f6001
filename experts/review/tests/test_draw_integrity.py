"""What a draw must withstand from whoever reads the database or runs the office alone
(SECURITY.md 24-25): the seed is not readable before the draw, a witness's value makes the
group unknowable in advance, a discarded draw stays on the next one's record, and the steps
that could steer a drawn group take a second person."""
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_fsm_log.models import StateLog

from core.models import Message
from experts.exceptions import VisitRuleBroken
from experts.models import Invitation, SecondApproval, Visit
from experts.review import approvals
from experts.review import draw as drawing
from experts.review import services as visits
from experts.review.panels import visit_panel
from experts.review.tests import helpers as v
from tests.evaluation.helpers import office

pytestmark = pytest.mark.django_db


def _stored_strings(visit: Visit) -> list[str]:
    """Every value a DBA reads in the visit's row and its logged transitions."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM experts_visit WHERE id = %s", [visit.pk])
        row = [str(value) for value in cursor.fetchone()]
    logs = [str(value) for log in StateLog.objects.for_(visit).values() for value in log.values()]
    return row + logs


def test_nobody_can_predict_the_group_from_the_database_before_the_draw():
    staff = office()
    v.trained_pool()
    visit = v.planned(by=staff)
    visits.visit_freeze(visit_id=visit.pk, by=staff)
    visit.refresh_from_db()
    stored = _stored_strings(visit)
    visits.visit_draw(visit_id=visit.pk, witness_name=v.WITNESS, witness_value="90417", by=staff)
    visit.refresh_from_db()
    # The seed revealed by the draw was nowhere in what the database held before it...
    assert visit.seed and not any(visit.seed in value for value in stored)
    # ...so running the published algorithm with anything stored there does not give the group,
    predictions = [drawing.draw(visit.pool_snapshot, value) for value in stored]
    assert visit.result not in predictions
    # and even the sealed seed, opened with the key, gives another group without the witness's value.
    assert drawing.draw(visit.pool_snapshot, visit.seed) != visit.result
    assert visit.sealed_seed == "" and visits.draw_replay(visit).matches


def test_the_draw_needs_a_witness_other_than_the_person_drawing():
    staff = office()
    v.trained_pool()
    visit = v.planned(by=staff)
    visits.visit_freeze(visit_id=visit.pk, by=staff)
    with pytest.raises(VisitRuleBroken, match="监督人的姓名"):
        visits.visit_draw(visit_id=visit.pk, witness_name=" ", witness_value="1234", by=staff)
    with pytest.raises(VisitRuleBroken, match="4~32 位"):
        visits.visit_draw(visit_id=visit.pk, witness_name=v.WITNESS, witness_value="12", by=staff)
    with pytest.raises(VisitRuleBroken, match="抽取人以外"):
        visits.visit_draw(visit_id=visit.pk, witness_name=staff.get_full_name(), witness_value="1234", by=staff)
    assert Visit.objects.get(pk=visit.pk).state == Visit.State.FROZEN


def test_a_cancelled_draw_and_a_cancelled_frozen_pool_stay_on_the_next_draws_record(client):
    staff, colleague = office(), office()
    v.trained_pool()
    evaluation = v.in_expert_review()
    frozen = v.planned(evaluation, by=staff)
    visits.visit_freeze(visit_id=frozen.pk, by=staff)
    visits.visit_cancel(visit_id=frozen.pk, reason="日期与受评单位冲突", by=staff)  # not drawn: one person
    first = v.drawn(v.planned(evaluation, by=staff), by=staff)
    with pytest.raises(VisitRuleBroken, match="另一位工作人员批准"):
        visits.visit_cancel(visit_id=first.pk, reason="专家组不合适", by=staff)
    approvals.approval_request(visit_id=first.pk, kind="cancel", reason="专家组不合适", by=staff)
    with pytest.raises(VisitRuleBroken, match="待审批"):
        approvals.approval_request(visit_id=first.pk, kind="cancel", reason="再次申请", by=staff)
    with pytest.raises(VisitRuleBroken, match="申请人以外"):
        approvals.approval_decide(visit_id=first.pk, approve=True, note="同意", by=staff)
    assert Visit.objects.get(pk=first.pk).state == Visit.State.INVITING
    approvals.approval_decide(visit_id=first.pk, approve=True, note="同意重新抽取", by=colleague)
    first.refresh_from_db()
    assert first.state == Visit.State.CANCELLED and first.cancelled_by == staff
    approval = SecondApproval.objects.get(visit=first)
    assert approval.approved and approval.decided_by == colleague and approval.decision_note == "同意重新抽取"

    second = v.notified(v.drawn(v.planned(evaluation, by=staff), by=staff), by=staff)
    earlier = second.pool_snapshot["earlier_draws"]
    assert [e["visit"] for e in earlier] == [frozen.pk, first.pk]
    assert earlier[0]["drawn_at"] is None and earlier[0]["cancel_reason"] == "日期与受评单位冲突"
    assert earlier[1]["seed"] == first.seed and earlier[1]["group"] == first.result["group"]
    assert earlier[1]["cancelled_by"] == staff.get_full_name() and earlier[1]["cancel_reason"] == "专家组不合适"
    # The history is under the pool's digest: rewriting it breaks the replay.
    assert visits.draw_replay(second).matches
    tampered = {**second.pool_snapshot, "earlier_draws": earlier[1:]}
    Visit.objects.filter(pk=second.pk).update(pool_snapshot=tampered)
    assert not visits.draw_replay(Visit.objects.get(pk=second.pk)).matches
    Visit.objects.filter(pk=second.pk).update(pool_snapshot=second.pool_snapshot)

    client.force_login(staff)
    for url in (reverse("admin:experts_visit_change", args=[second.pk]),
                reverse("admin:experts_visit_replay", args=[second.pk])):
        page = client.get(url).content.decode()
        assert "本评价共抽取专家 <strong>2</strong> 次" in page and "专家组不合适" in page
        assert "日期与受评单位冲突" in page and "候选池已冻结、未抽取" in page
    # The institution sees the same on its evaluation page.
    request = Client().get("/").wsgi_request
    request.user = evaluation.member.user
    panel = visit_panel(request, evaluation)
    assert "本评价共抽取专家 <strong>2</strong> 次" in panel and "专家组不合适" in panel


def test_a_replacement_out_of_rank_needs_a_second_person_and_shows_in_the_replay(
        client, django_capture_on_commit_callbacks):
    staff, colleague = office(), office()
    v.trained_pool()
    visit = v.confirmed(by=staff)
    member = v.seated(visit)[0]
    reserves = list(visit.invitations.filter(state=Invitation.State.RESERVE).order_by("rank"))
    with pytest.raises(VisitRuleBroken, match="顺位递补的候补"):
        approvals.approval_request(visit_id=visit.pk, kind="named_replacement", invitation_id=member.pk,
                                   replacement_id=reserves[0].pk, reason="熟悉该机构", by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        approvals.approval_request(visit_id=visit.pk, kind="named_replacement", invitation_id=member.pk,
                                   replacement_id=reserves[2].pk, reason="须熟悉口腔专科", by=staff)
    told = Message.objects.filter(subject__startswith="待审批：指定非顺位候补")
    assert told.filter(recipient=colleague).exists() and "须熟悉口腔专科" in told.first().body
    assert Invitation.objects.get(pk=member.pk).state == Invitation.State.CONFIRMED  # nothing moves yet
    approvals.approval_decide(visit_id=visit.pk, approve=False, note="无充分理由", by=colleague)
    assert Invitation.objects.get(pk=reserves[2].pk).state == Invitation.State.RESERVE
    approvals.approval_request(visit_id=visit.pk, kind="named_replacement", invitation_id=member.pk,
                               replacement_id=reserves[2].pk, reason="须熟悉口腔专科（补充说明）", by=staff)
    approvals.approval_decide(visit_id=visit.pk, approve=True, note="同意", by=colleague)
    assert Invitation.objects.get(pk=member.pk).state == Invitation.State.REPLACED
    assert Invitation.objects.get(pk=reserves[2].pk).state == Invitation.State.INVITED
    assert Invitation.objects.get(pk=reserves[0].pk).state == Invitation.State.RESERVE
    client.force_login(staff)
    page = client.get(reverse("admin:experts_visit_replay", args=[visit.pk])).content.decode()
    assert "经第二人批准的非顺位替补" in page and reserves[2].expert.name in page and colleague.get_full_name() in page
    # The ordinary adjustment takes the next reserve in rank, and names nobody.
    nxt = v.seated(Visit.objects.get(pk=visit.pk))[1]
    visits.invitation_override(visit_id=visit.pk, invitation_id=nxt.pk, reason="临时住院", by=staff)
    assert Invitation.objects.get(pk=reserves[0].pk).state == Invitation.State.INVITED
