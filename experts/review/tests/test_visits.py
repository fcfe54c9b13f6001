"""After the draw: invitations and the reserves in order, the institution's challenges, the
visit notice 7 working days ahead, scoring within each maximum with peers hidden until one's
own are in, and the group report that goes on only when every member has signed."""
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from evaluation import services as evaluation_services
from evaluation.exceptions import Incomplete
from evaluation.models import Assignment, Evaluation
from experts.exceptions import ReportRuleBroken, VisitRuleBroken
from experts.models import Challenge, Conflict, GroupReport, Invitation, Visit
from experts.review import approvals, reports
from experts.review import services as visits
from experts.review.tests import helpers as v
from tests.evaluation.helpers import office

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone


def _pdf_text(field) -> str:
    with field.open("rb") as fh:
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(fh.read())).pages)


# --- invitations and reserves ---------------------------------------------------------------------

def test_a_decline_takes_the_next_reserve_in_order_and_a_conflict_becomes_a_declaration():
    staff = office()
    v.trained_pool()
    visit = v.drawn(by=staff)
    first, second = visit.invitations.filter(drawn_as="group").order_by("rank")[:2]
    reserves = list(visit.invitations.filter(state=Invitation.State.RESERVE).order_by("rank"))
    with pytest.raises(VisitRuleBroken, match="婉拒原因"):
        visits.invitation_decline(invitation_id=first.pk, reason="  ", by=first.expert.user)
    visits.invitation_decline(invitation_id=first.pk, reason="曾为该院提供咨询服务", conflict_kind="consulting",
                              by=first.expert.user)
    conflict = Conflict.objects.get(expert=first.expert)
    assert conflict.institution_name == visit.evaluation.member.name and conflict.kind == "consulting"
    taken = Invitation.objects.get(pk=reserves[0].pk)
    assert taken.state == Invitation.State.INVITED and taken.replaces_id == first.pk
    # the second reserve is not asked because someone answered faster: order decides
    visits.invitation_decline(invitation_id=second.pk, reason="当周有手术安排", by=second.expert.user)
    assert Invitation.objects.get(pk=reserves[1].pk).state == Invitation.State.INVITED
    assert not Conflict.objects.filter(expert=second.expert).exists()
    with pytest.raises(VisitRuleBroken, match="不能确认"):  # a declined invitation stays declined
        visits.invitation_confirm(invitation_id=first.pk, by=first.expert.user)


def test_an_unanswered_invitation_lapses_and_the_next_reserve_is_invited():
    v.trained_pool()
    visit = v.drawn()
    late = visit.invitations.filter(drawn_as="group").order_by("rank").first()
    reserve = visit.invitations.filter(state=Invitation.State.RESERVE).order_by("rank").first()
    with time_machine.travel(dt.datetime.combine(late.reply_by + dt.timedelta(days=1), dt.time(9), TZ()), tick=False):
        assert visits.invitations_lapse(now=timezone.now()) == 5  # nobody answered
    assert Invitation.objects.get(pk=late.pk).state == Invitation.State.LAPSED
    assert Invitation.objects.get(pk=reserve.pk).state == Invitation.State.INVITED


def test_a_reserve_of_a_required_specialty_replaces_the_only_member_who_had_it():
    staff = office()
    experts = v.trained_pool(("law",) + ("clinical",) * 5 + ("law",))
    visit = v.planned(specialties=["law"], by=staff)
    Visit.objects.filter(pk=visit.pk).update(state=Visit.State.INVITING)
    seats = [Invitation.objects.create(visit=visit, expert=expert, rank=n, drawn_as="group" if n <= 5 else "reserve")
             for n, expert in enumerate(experts, start=1)]
    Invitation.objects.filter(pk__in=[i.pk for i in seats[:5]]).update(state=Invitation.State.INVITED)
    lawyer = seats[0]
    visits.invitation_decline(invitation_id=lawyer.pk, reason="出差", by=lawyer.expert.user)
    # rank 6 (clinical) is passed over for rank 7, the only reserve who keeps law covered
    assert Invitation.objects.get(pk=seats[6].pk).replaces_id == lawyer.pk
    assert Invitation.objects.get(pk=seats[5].pk).state == Invitation.State.RESERVE
    clinician = seats[1]
    visits.invitation_decline(invitation_id=clinician.pk, reason="身体原因", by=clinician.expert.user)
    assert Invitation.objects.get(pk=seats[5].pk).replaces_id == clinician.pk  # otherwise simply the next in order


def test_confirming_every_seat_readies_the_visit_and_opens_scoring():
    v.trained_pool()
    visit = v.confirmed()
    assert visit.state == Visit.State.READY
    users = [i.expert.user for i in v.seated(visit)]
    assert Assignment.objects.filter(evaluation=visit.evaluation, evaluator__in=users).count() == 5


def test_a_staff_override_needs_a_written_reason_and_is_logged():
    staff = office()
    v.trained_pool()
    visit = v.confirmed(by=staff)
    member = v.seated(visit)[0]
    with pytest.raises(VisitRuleBroken, match="书面理由"):
        visits.invitation_override(visit_id=visit.pk, invitation_id=member.pk, reason="", by=staff)
    visits.invitation_override(visit_id=visit.pk, invitation_id=member.pk, reason="本人临时住院", by=staff)
    member.refresh_from_db()
    assert member.state == Invitation.State.REPLACED and "本人临时住院" in member.replaced_reason
    assert Visit.objects.get(pk=visit.pk).state == Visit.State.INVITING
    assert Assignment.objects.get(evaluation=visit.evaluation, evaluator=member.expert.user).state == "recused"


# --- the notice ---------------------------------------------------------------------------------------

def test_staff_see_dates_counted_on_an_unconfirmed_calendar_year_before_sending_the_notice(client):
    from core.calendar import package_covers
    from core.models import ConfirmedCalendarYear

    unknown = next(y for y in range(timezone.localdate().year, 2100) if not package_covers(y))
    with time_machine.travel(dt.datetime(unknown - 1, 12, 28, 10, tzinfo=TZ()), tick=False):
        staff = office()
        v.trained_pool()
        visit = v.confirmed(by=staff)
        group = v.seated(visit)
        visits.visit_name_roles(visit_id=visit.pk, head_id=group[0].pk, leader_id=group[1].pk, by=staff)
        client.force_login(staff)
        index = client.get(reverse("admin:index")).content.decode()
        assert f"工作日历待确认：{unknown} 年" in index
        confirm = reverse("admin:experts_visit_transition", args=[visit.pk, "notify"])
        page = client.get(confirm).content.decode()
        assert 'data-testid="transition-warning"' in page and f"尚未确认的 {unknown} 年工作日历" in page
        assert "暂按周一至周五计算" in page
        ConfirmedCalendarYear.objects.create(year=unknown, note=f"国办发明电〔{unknown - 1}〕1号")
        assert 'data-testid="transition-warning"' not in client.get(confirm).content.decode()
        assert "工作日历待确认" not in client.get(reverse("admin:index")).content.decode()


def test_a_notice_later_than_7_working_days_before_the_visit_is_refused_across_a_holiday():
    # National Day 2025: 1-8 October off, 28 September (Sunday) and 11 October (Saturday) worked.
    with time_machine.travel(dt.datetime(2025, 9, 12, 10, tzinfo=TZ()), tick=False):
        staff = office()
        v.trained_pool()
        evaluation = v.in_expert_review()
        visit = visits.visit_create(evaluation_id=evaluation.pk, group_size=5, first_day=dt.date(2025, 10, 13),
                                    last_day=dt.date(2025, 10, 14), specialties=[], by=staff)
        visit = v.confirmed(v.drawn(visit, by=staff), by=staff)
        group = v.seated(visit)
        visits.visit_name_roles(visit_id=visit.pk, head_id=group[0].pk, leader_id=group[1].pk, by=staff)
    with time_machine.travel(dt.datetime(2025, 9, 28, 10, tzinfo=TZ()), tick=False), \
            pytest.raises(VisitRuleBroken, match="最迟应于 2025年09月27日 发出"):
        visits.visit_notify(visit_id=visit.pk, by=staff)
    assert Evaluation.objects.get(pk=evaluation.pk).state == Evaluation.State.EXPERT_REVIEW
    with time_machine.travel(dt.datetime(2025, 9, 27, 10, tzinfo=TZ()), tick=False):
        visits.visit_notify(visit_id=visit.pk, by=staff)
    visit.refresh_from_db()
    assert visit.state == Visit.State.NOTIFIED and visit.challenge_until == dt.date(2025, 9, 30)
    assert Evaluation.objects.get(pk=evaluation.pk).state == Evaluation.State.ON_SITE


def test_the_notice_names_the_group_and_needs_a_head_and_a_leader():
    staff = office()
    v.trained_pool()
    visit = v.confirmed(by=staff)
    with pytest.raises(VisitRuleBroken, match="组长和领队"):
        visits.visit_notify(visit_id=visit.pk, by=staff)
    group = v.seated(visit)
    with pytest.raises(VisitRuleBroken, match="不同的专家"):
        visits.visit_name_roles(visit_id=visit.pk, head_id=group[0].pk, leader_id=group[0].pk, by=staff)
    visit = v.notified(visit, by=staff)
    visit = visits.visit_notice_render(visit_id=visit.pk)
    text = _pdf_text(visit.notice)
    assert visit.evaluation.member.name in text and all(m.expert.name in text for m in group)
    assert "组长" in text and "领队" in text


# --- challenges ---------------------------------------------------------------------------------------

def test_an_upheld_challenge_replaces_the_expert_from_the_reserves_and_a_late_one_is_refused():
    staff = office()
    v.trained_pool()
    visit = v.notified(by=staff)
    institution = visit.evaluation.member.user
    target = v.seated(visit)[2]
    reserve = visit.invitations.filter(state=Invitation.State.RESERVE).order_by("rank").first()
    with pytest.raises(VisitRuleBroken):  # not the institution's visit
        visits.challenge_submit(invitation_id=target.pk, reason="利害关系", by=target.expert.user)
    challenge = visits.challenge_submit(invitation_id=target.pk, reason="该专家是本院股东的配偶", by=institution)
    with pytest.raises(VisitRuleBroken, match="正在处理中"):
        visits.challenge_submit(invitation_id=target.pk, reason="再次申请", by=institution)
    with pytest.raises(VisitRuleBroken, match="决定理由"):
        visits.challenge_decide(challenge_id=challenge.pk, upheld=True, reason="", by=staff)
    visits.challenge_decide(challenge_id=challenge.pk, upheld=True, reason="经核实属实", by=staff)
    challenge.refresh_from_db()
    assert challenge.decision == Challenge.Decision.UPHELD and challenge.decided_by == staff
    assert Invitation.objects.get(pk=target.pk).state == Invitation.State.REPLACED
    assert Invitation.objects.get(pk=reserve.pk).state == Invitation.State.INVITED
    assert Conflict.objects.filter(expert=target.expert, institution_name=visit.evaluation.member.name).exists()
    assert Visit.objects.get(pk=visit.pk).state == Visit.State.INVITING
    # the reserve confirms; the notice is reissued (the evaluation is already on site)
    visits.invitation_confirm(invitation_id=reserve.pk, by=reserve.expert.user)
    visits.visit_notify(visit_id=visit.pk, by=staff)
    assert Visit.objects.get(pk=visit.pk).state == Visit.State.NOTIFIED

    other = v.seated(visit)[3]
    day_after = visit.challenge_until + dt.timedelta(days=1)
    with time_machine.travel(dt.datetime.combine(day_after, dt.time(9), TZ()), tick=False), \
            pytest.raises(VisitRuleBroken, match="3 个工作日内"):
        visits.challenge_submit(invitation_id=other.pk, reason="迟到的申请", by=institution)


def test_a_dismissed_challenge_keeps_the_expert():
    staff = office()
    v.trained_pool()
    visit = v.notified(by=staff)
    target = v.seated(visit)[1]
    challenge = visits.challenge_submit(invitation_id=target.pk, reason="不认识", by=visit.evaluation.member.user)
    visits.challenge_decide(challenge_id=challenge.pk, upheld=False, reason="无利害关系", by=staff)
    assert Invitation.objects.get(pk=target.pk).state == Invitation.State.CONFIRMED


# --- scoring ------------------------------------------------------------------------------------------

def _assignment(visit, member):
    return visit.evaluation.assignments.get(evaluator=member.expert.user)


def test_a_score_above_the_item_maximum_is_refused(client):
    v.trained_pool()
    visit = v.notified()
    member = v.seated(visit)[0]
    assignment = _assignment(visit, member)
    item = visit.evaluation.programme.criteria.filter(parent__isnull=False).order_by("parent__position",
                                                                                     "position").first()
    with pytest.raises(Incomplete, match="0 至 10"):
        evaluation_services.assignment_save_scores(assignment_id=assignment.pk, scores={item.pk: (Decimal(11), "")},
                                                   comment="", submit=False, by=member.expert.user)
    client.force_login(member.expert.user)
    url = reverse("experts:assignment", args=[assignment.pk])
    response = client.post(url, {f"score{item.pk}": "11", f"comment{item.pk}": "超出满分的说明", "comment": "总体意见",
                                 "action": "save"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "评分应在 0 至 10 分之间" in page and 'value="11"' in page and "超出满分的说明" in page and "总体意见" in page
    assert not assignment.scores.exists()


def test_peers_scores_are_hidden_until_ones_own_are_submitted(client):
    v.trained_pool()
    visit = v.notified()
    first, second = v.seated(visit)[:2]
    items = list(visit.evaluation.programme.criteria.filter(parent__isnull=False).order_by("parent__position",
                                                                                           "position"))
    evaluation_services.assignment_save_scores(
        assignment_id=_assignment(visit, first).pk, scores={i.pk: (Decimal("7.5"), "扣分说明甲") for i in items},
        comment="", submit=True, by=first.expert.user)
    client.force_login(second.expert.user)
    own_page = reverse("experts:assignment", args=[_assignment(visit, second).pk])
    assert "扣分说明甲" not in client.get(own_page).content.decode()
    assert "提交本人评分后可查看" in client.get(reverse("experts:report", args=[visit.pk])).content.decode()
    evaluation_services.assignment_save_scores(
        assignment_id=_assignment(visit, second).pk, scores={i.pk: (Decimal(5), "") for i in items},
        comment="", submit=True, by=second.expert.user)
    page = client.get(own_page).content.decode()
    assert "扣分说明甲" in page and "7.5" in page
    assert 'data-testid="spread"' in client.get(reverse("experts:report", args=[visit.pk])).content.decode()


def test_the_head_too_sees_the_spread_only_after_submitting_their_own(client):
    v.trained_pool()
    visit = v.notified()
    head, member = v.head_of(visit), [s for s in v.seated(visit) if s.role == Invitation.Role.MEMBER][0]
    items = list(visit.evaluation.programme.criteria.filter(parent__isnull=False))
    evaluation_services.assignment_save_scores(
        assignment_id=_assignment(visit, member).pk, scores={i.pk: (Decimal("6.5"), "") for i in items},
        comment="", submit=True, by=member.expert.user)
    client.force_login(head.expert.user)
    page = client.get(reverse("experts:report", args=[visit.pk])).content.decode()
    # With one member in, the spread would be that member's exact score on every item.
    assert 'data-testid="spread"' not in page and "6.5" not in page and "提交本人评分后可查看" in page
    evaluation_services.assignment_save_scores(
        assignment_id=_assignment(visit, head).pk, scores={i.pk: (Decimal(9), "") for i in items},
        comment="", submit=True, by=head.expert.user)
    page = client.get(reverse("experts:report", args=[visit.pk])).content.decode()
    assert 'data-testid="spread"' in page and "6.5" in page


# --- the group report -----------------------------------------------------------------------------------

def test_the_report_goes_to_the_committee_only_when_every_member_has_signed():
    staff = office()
    v.trained_pool()
    visit = v.notified(by=staff)
    head = v.head_of(visit).expert.user
    reports.report_save(visit_id=visit.pk, overview="总体良好。", highlights="诚信经营。", problems="病历需加强。", by=head)
    with pytest.raises(ReportRuleBroken, match="未提交评分"):
        reports.report_circulate(visit_id=visit.pk, by=head)
    v.score_all(visit)
    member = v.seated(visit)[3]
    with pytest.raises(ReportRuleBroken, match="组长"):
        reports.report_circulate(visit_id=visit.pk, by=member.expert.user)
    report = reports.report_circulate(visit_id=visit.pk, by=head)
    assert report.total == Decimal("41.00") and report.percent == Decimal("82.00")  # 8 + 15 + 18 of 50
    assert [i["score"] for i in report.item_scores] == ["8.00", "15.00", "18.00"]
    with pytest.raises(ReportRuleBroken, match="重新阅读"):
        reports.report_sign(visit_id=visit.pk, content_hash="0" * 64, by=member.expert.user)
    group = v.seated(visit)
    for signer in group[:-1]:
        reports.report_sign(visit_id=visit.pk, content_hash=report.content_hash, by=signer.expert.user,
                            dissent="对第 3 项有保留意见" if signer == group[1] else "")
    assert Evaluation.objects.get(pk=visit.evaluation_id).state == Evaluation.State.ON_SITE
    assert GroupReport.objects.get(pk=report.pk).state == GroupReport.State.SIGNING
    with pytest.raises(ReportRuleBroken, match="已签字"):
        reports.report_sign(visit_id=visit.pk, content_hash=report.content_hash, by=group[0].expert.user)
    reports.report_sign(visit_id=visit.pk, content_hash=report.content_hash, by=group[-1].expert.user)
    assert Evaluation.objects.get(pk=visit.evaluation_id).state == Evaluation.State.COMMITTEE
    assert Visit.objects.get(pk=visit.pk).state == Visit.State.REPORTED
    report = reports.report_pdf_render(report_id=report.pk)
    text = _pdf_text(report.pdf)
    assert all(m.expert.name in text for m in group) and "对第 3 项有保留意见" in text and "41.00" in text


def test_reopening_the_report_voids_the_signatures_given_so_far():
    v.trained_pool()
    visit = v.notified()
    v.score_all(visit)
    report = v.circulated(visit)
    signer = v.seated(visit)[2]
    reports.report_sign(visit_id=visit.pk, content_hash=report.content_hash, by=signer.expert.user)
    head = v.head_of(visit).expert.user
    with pytest.raises(ReportRuleBroken, match="原因"):
        reports.report_reopen(visit_id=visit.pk, reason="", by=head)
    reports.report_reopen(visit_id=visit.pk, reason="补充亮点", by=head)
    signature = report.signatures.get()
    assert signature.voided_at is not None  # kept as history
    reports.report_save(visit_id=visit.pk, overview="管理规范。", highlights="诚信经营，服务便民。", problems="病历书写需加强。",
                        by=head)
    report = reports.report_circulate(visit_id=visit.pk, by=head)
    reports.report_sign(visit_id=visit.pk, content_hash=report.content_hash, by=signer.expert.user)
    assert report.signatures.filter(voided_at__isnull=True).count() == 1


# --- who sees what --------------------------------------------------------------------------------------

def test_only_the_group_sees_the_visit_and_only_the_institution_its_panel(client, user):
    v.trained_pool()
    visit = v.notified()
    visits.visit_notice_render(visit_id=visit.pk)
    reserve = visit.invitations.filter(state=Invitation.State.RESERVE).first()
    for outsider in (user, reserve.expert.user, visit.evaluation.member.user):
        client.force_login(outsider)
        assert client.get(reverse("experts:visit", args=[visit.pk])).status_code == 404
        assert client.get(reverse("experts:report", args=[visit.pk])).status_code == 404
    notice = reverse("core:download", args=["experts.visit", visit.pk, "notice"])
    client.force_login(reserve.expert.user)
    assert client.get(notice).status_code == 404
    assert client.get(reverse("experts:invitation", args=[v.seated(visit)[0].pk])).status_code == 404
    client.force_login(visit.evaluation.member.user)
    page = client.get(visit.evaluation.get_absolute_url()).content.decode()
    assert 'data-testid="visit-panel"' in page and v.seated(visit)[0].expert.name in page
    assert client.get(notice).status_code == 200
    member = v.seated(visit)[0]
    client.force_login(member.expert.user)
    assert client.get(reverse("experts:visit", args=[visit.pk])).status_code == 200
    assert client.get(notice).status_code == 200


def test_an_institutions_challenge_form_keeps_what_was_typed_on_error(client):
    v.trained_pool()
    visit = v.notified()
    client.force_login(visit.evaluation.member.user)
    response = client.post(reverse("experts:challenge", args=[visit.pk]), {"invitation_id": "", "reason": "理由写了一半"})
    assert response.status_code == 422 and "理由写了一半" in response.content.decode()
    other = v.in_expert_review()
    client.force_login(other.member.user)
    assert client.post(reverse("experts:challenge", args=[visit.pk]), {"reason": "x"}).status_code == 404


def test_a_member_replaced_while_the_report_is_out_for_signatures_sends_it_back_to_the_head():
    staff = office()
    v.trained_pool()
    visit = v.notified(by=staff)
    v.score_all(visit)
    report = v.circulated(visit)
    first, leaving = v.seated(visit)[0], v.seated(visit)[3]
    reports.report_sign(visit_id=visit.pk, content_hash=report.content_hash, by=first.expert.user)
    challenge = visits.challenge_submit(invitation_id=leaving.pk, reason="亲属在本院任职", by=visit.evaluation.member.user)
    visits.challenge_decide(challenge_id=challenge.pk, upheld=True, reason="属实", by=staff)
    report.refresh_from_db()
    assert report.is_open and report.signatures.get().voided_at is not None
    with pytest.raises(ReportRuleBroken, match="专家组正在调整"):
        reports.report_sign(visit_id=visit.pk, content_hash=report.content_hash, by=first.expert.user)


def test_the_experts_are_reminded_the_working_day_before_and_a_visit_can_be_called_off_before_its_notice():
    staff = office()
    v.trained_pool()
    visit = v.notified(by=staff)
    eve = visit.first_day - dt.timedelta(days=1)
    with time_machine.travel(dt.datetime.combine(eve, dt.time(8), TZ()), tick=False):
        assert visits.visits_remind(now=timezone.now()) == 1
        assert visits.visits_remind(now=timezone.now()) == 0  # once
    with pytest.raises(VisitRuleBroken, match="不能取消"):
        visits.visit_cancel(visit_id=visit.pk, reason="改期", by=staff)

    other = v.confirmed(v.drawn(v.planned(by=staff), by=staff), by=staff)
    with pytest.raises(VisitRuleBroken, match="取消原因"):
        visits.visit_cancel(visit_id=other.pk, reason="", by=staff)
    with pytest.raises(VisitRuleBroken, match="经另一位工作人员批准"):
        visits.visit_cancel(visit_id=other.pk, reason="受评单位申请改期", by=staff)
    approvals.approval_request(visit_id=other.pk, kind="cancel", reason="受评单位申请改期", by=staff)
    approvals.approval_decide(visit_id=other.pk, approve=True, note="改期理由属实", by=office())
    other.refresh_from_db()
    assert other.state == Visit.State.CANCELLED and other.cancel_reason == "受评单位申请改期"
    assert other.cancelled_by == staff and other.cancelled_at is not None
    assert not other.invitations.filter(state__in=Invitation.OPEN_STATES + (Invitation.State.RESERVE,)).exists()
    assert not Assignment.objects.filter(evaluation=other.evaluation).exclude(state="recused").exists()
    v.planned(other.evaluation, by=staff)  # a new plan for the same evaluation is allowed once cancelled


def test_hostile_or_mistaken_posts_get_a_message_never_an_error(client):
    staff = office()
    v.trained_pool()
    visit = v.notified(by=staff)
    v.score_all(visit)
    report = v.circulated(visit)
    member = v.seated(visit)[2]
    client.force_login(member.expert.user)
    url = reverse("experts:report", args=[visit.pk])
    assert client.post(url, {"action": "sign"}).status_code == 422  # no hash: nothing signed
    response = client.post(url, {"action": "reopen", "reason": "想改"}, follow=True)  # not the head
    assert "只有专家组组长" in response.content.decode()
    assert GroupReport.objects.get(pk=report.pk).state == GroupReport.State.SIGNING
    response = client.post(url, {"action": "sign", "content_hash": "x" * 64})
    assert response.status_code == 422 and "请重新阅读后签字" in response.content.decode()
    assignment = _assignment(visit, member)
    for junk in ("NaN", "1e999999999", "-0.5", "十分"):
        page = client.post(reverse("experts:assignment", args=[assignment.pk]),
                           {f"score{report.item_scores[0]['id']}": junk, "action": "save"})
        assert page.status_code == 422 and "评分" in page.content.decode(), junk
    client.force_login(staff)
    for query in ("y=10000000000000000000000&m=1", "y=2026&m=13", "y=abc"):
        assert client.get(reverse("admin:experts_visit_calendar") + "?" + query).status_code == 200
    page = client.get(reverse("admin:experts_visit_calendar") + f"?y={visit.first_day.year}&m={visit.first_day.month}")
    assert visit.evaluation.member.name in page.content.decode()
