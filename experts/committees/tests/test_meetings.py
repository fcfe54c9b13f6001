"""Committee meetings (001 §9, §18(五); 004 §3, §8): agendas, attendance by person, automatic
and declared recusal, secret ballots with receipts, the count, two meetings at most, minutes
locked by their hash."""
import datetime as dt
import io
import re

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog
from pypdf import PdfReader

from core.downloads import file_url
from core.models import Message
from evaluation.models import Evaluation
from experts.committees import meetings
from experts.committees import services as committees
from experts.committees.tests import helpers as m
from experts.exceptions import MeetingRuleBroken
from experts.models import AgendaItem, Ballot, BallotCast, GroupReport, Meeting, MinutesRevision, SealedBallot, Visit
from experts.pool import services as pool
from tests.evaluation import helpers as h

pytestmark = pytest.mark.django_db
S = Evaluation.State


@pytest.mark.parametrize(("present", "refused"), [(4, True), (5, False), (6, True), (7, False)])
def test_credit_quorum_is_five_distinct_present_members_and_an_odd_number(present, refused):
    body = m.committee("leading_group")
    case = h.in_committee()
    meeting = m.convene(body, case)
    people = m.seats(body)[:present]
    m.open_with(meeting, people + people[:1])  # a person ticked twice is one attendee
    assert meeting.attendance.filter(present=True).count() == present
    if refused:
        with pytest.raises(MeetingRuleBroken, match="不少于 5 人且为单数"):
            m.vote(meeting, case, people[:1], ["approve"])
        meetings.meeting_close(meeting_id=meeting.pk, by=h.office())
        agenda = m.item(meeting, case)
        assert agenda.outcome == AgendaItem.NO_QUORUM and "不少于 5 人" in agenda.record
        case.refresh_from_db()
        assert case.state == S.COMMITTEE and case.meetings_held == 0  # not counted as a meeting on it
    else:
        m.vote(meeting, case, people, ["approve"] * present)
        meetings.meeting_close(meeting_id=meeting.pk, by=h.office())
        case.refresh_from_db()
        assert case.state == S.PUBLIC_NOTICE and case.meetings_held == 1
        assert case.deadlines.get(kind="notice").met_at is None


def test_capability_quorum_is_more_than_half_of_the_committee():
    body = m.committee("capability", size=10)
    case, _ = m.capability_case()
    meeting = m.convene(body, case)
    m.open_with(meeting, m.seats(body)[:5])
    with pytest.raises(MeetingRuleBroken, match="超过委员会现任委员（10 人）的半数"):
        m.vote(meeting, case, m.seats(body)[:1], ["5星"])


def test_a_member_with_a_recorded_conflict_is_recused_from_that_item_and_leaves_its_quorum():
    body = m.committee("leading_group")
    conflicted, other = h.in_committee(), h.in_committee()
    expert = m.appointed()
    member = committees.committee_add_member(committee_id=body.pk, user=expert.user, by=h.office())
    people = [member, *m.seats(body)[:4]]
    pool.conflict_declare(expert_id=expert.pk, kind="consulting", institution_name=conflicted.member.name,
                          starts_on=timezone.localdate() - dt.timedelta(days=30), by=member.user)
    meeting = m.convene(body, conflicted, other)
    recusal = m.item(meeting, conflicted).recusals.get()
    assert recusal.member == member and not recusal.declared and "咨询或有偿服务" in recusal.reason
    assert not m.item(meeting, other).recusals.exists()
    # A member declares a conflict on the other item themselves.
    meetings.recusal_declare(item_id=m.item(meeting, other).pk, reason="曾任该机构顾问", by=people[3].user)
    m.open_with(meeting, people)
    with pytest.raises(MeetingRuleBroken, match="回避"):
        m.vote(meeting, conflicted, [member], ["approve"])
    # Five present, one recused on each item: four may vote, fewer than five.
    with pytest.raises(MeetingRuleBroken, match="当前 4 人"):
        m.vote(meeting, conflicted, people[1:2], ["approve"])
    with pytest.raises(MeetingRuleBroken, match="当前 4 人"):
        m.vote(meeting, other, people[1:2], ["approve"])
    meetings.meeting_close(meeting_id=meeting.pk, by=h.office())
    minutes = Meeting.objects.get(pk=meeting.pk).minutes
    assert f"回避：{member.name}（利益冲突" in minutes and f"回避：{people[3].name}（本人申报：曾任该机构顾问）" in minutes


def test_ballots_are_secret_one_per_member_and_receipts_verify():
    body = m.committee("leading_group")
    case = h.in_committee()
    meeting = m.convene(body, case)
    people = m.seats(body)[:5]
    m.open_with(meeting, people)
    receipts = m.vote(meeting, case, people[:3], ["approve", "send_back", "approve"])
    with pytest.raises(MeetingRuleBroken, match="每人一票"):
        m.vote(meeting, case, people[:1], ["send_back"])
    with pytest.raises(MeetingRuleBroken, match="请选择"):
        m.vote(meeting, case, people[3:4], ["5星"])
    # The box holds choices and receipt hashes only; the roll says who voted, never what.
    assert {f.name for f in Ballot._meta.get_fields()} == {"id", "item", "choice", "receipt_digest"}
    assert {f.name for f in BallotCast._meta.get_fields()} == {"id", "item", "member"}
    # Until the count the ballots are sealed: no choice, no receipt hash, the same size each.
    assert not Ballot.objects.exists()
    sealed = list(SealedBallot.objects.values_list("sealed", "receipt_lookup"))
    assert len(sealed) == 3 and len({len(token) for token, _ in sealed}) == 1
    dump = str(sealed)
    assert not any(word in dump for word in ("approve", "send_back", *receipts,
                                              *(meetings.receipt_digest(code) for code in receipts)))
    check = meetings.ballot_verify(receipts[1])
    assert check.choice == "send_back" and not check.counted
    assert meetings.ballot_verify(receipts[0].lower().replace("-", " ")).choice == "approve"
    assert meetings.ballot_verify("AAAA-BBBB-CCCC-DDDD") is None
    # Another member's agenda page shows that they may vote, and nobody's choice.
    client = Client()
    client.force_login(people[4].user)
    page = client.get(reverse("experts:meeting", args=[meeting.pk])).content.decode()
    assert "投票" in page and "send_back" not in page.replace('value="send_back"', "")
    assert "计票：" not in page
    # The receipt is checked by POST (a code in an address would reach the access logs).
    assert "receipt-result" not in client.get(reverse("experts:receipt"), {"code": receipts[1]}).content.decode()
    response = client.post(reverse("experts:receipt"), {"code": receipts[1]}).content.decode()
    assert "退回重新评价" in response and "已进入票箱" in response and "会议尚未计票" in response
    response = client.post(reverse("experts:receipt"), {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert response.status_code == 422 and "未找到" in response.content.decode()
    meetings.meeting_close(meeting_id=meeting.pk, by=h.office())
    assert not SealedBallot.objects.exists() and Ballot.objects.count() == 3
    check = meetings.ballot_verify(receipts[1])
    assert check.choice == "send_back" and check.counted
    assert "已计入" in client.post(reverse("experts:receipt"), {"code": receipts[0]}).content.decode()


def test_the_receipt_is_shown_once_in_the_answer_never_kept_in_the_session():
    body = m.committee("leading_group")
    case = h.in_committee()
    meeting = m.convene(body, case)
    people = m.seats(body)[:5]
    m.open_with(meeting, people)
    client = Client()
    client.force_login(people[0].user)
    response = client.post(reverse("experts:meeting", args=[meeting.pk]),
                           {"action": "vote", "item": m.item(meeting, case).pk, "choice": "approve"})
    page = response.content.decode()
    assert response.status_code == 200 and "投票成功" in page and "no-store" in response["Cache-Control"]
    code = re.search(r"[A-Z2-9]{4}(?:-[A-Z2-9]{4}){3}", page)[0]
    assert meetings.ballot_verify(code).choice == "approve"
    sessions = str(list(Session.objects.values_list("session_data", flat=True)))
    decoded = str([s.get_decoded() for s in Session.objects.all()])
    assert code not in sessions and code not in decoded and code not in response.cookies.output()


@pytest.mark.django_db(transaction=True)
def test_a_dba_cannot_tie_a_counted_ballot_to_its_voter():
    """The attack the outside trial made, as a database administrator would: read only the roll
    and the box, with their transaction ids and physical order, and pair them up."""
    body = m.committee("leading_group")
    case = h.in_committee()
    meeting = m.convene(body, case)
    people = m.seats(body)[:7]
    m.open_with(meeting, people)
    choices = ["approve", "send_back", "approve", "send_back", "approve", "send_back", "approve"]
    m.vote(meeting, case, people, choices)
    meetings.meeting_close(meeting_id=meeting.pk, by=h.office())
    truth = {person.pk: choice for person, choice in zip(people, choices, strict=True)}
    item = m.item(meeting, case).pk
    physical = "ctid" if connection.vendor == "postgresql" else "rowid"
    txid = "xmin::text::bigint" if connection.vendor == "postgresql" else "0"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT member_id, {txid} FROM experts_ballotcast WHERE item_id = %s ORDER BY {physical}", [item])
        roll = cursor.fetchall()
        cursor.execute(f"SELECT choice, receipt_digest, {txid} FROM experts_ballot WHERE item_id = %s ORDER BY {physical}",
                       [item])
        box = cursor.fetchall()
        cursor.execute("SELECT count(*) FROM experts_sealedballot")
        assert cursor.fetchone()[0] == 0
    assert len(roll) == len(box) == 7
    # Physical order (and so id order, ids being random): the box is in the order of its own
    # content, whatever order the members voted in, and pairing by position recovers nobody.
    assert [(choice, digest) for choice, digest, _ in box] == sorted((choice, digest) for choice, digest, _ in box)
    paired = {member: box[n][0] for n, (member, _) in enumerate(roll)}
    assert paired != truth
    # Transaction ids: the whole box was written by one transaction, none of the roll's.
    assert len({xid for *_, xid in box}) == 1
    if connection.vendor == "postgresql":
        assert not {xid for *_, xid in box} & {xid for _, xid in roll}
    # No log line, history row or time names a voter beside a choice.
    assert not any(f.name in ("member", "at", "created_at", "cast_at") for f in Ballot._meta.get_fields())
    assert not StateLog.objects.filter(content_type__model__in=["ballot", "ballotcast", "sealedballot"]).exists()


def test_a_tie_sends_the_case_back():
    body = m.committee("leading_group")
    case = h.in_committee()
    meeting = m.convene(body, case)
    people = m.seats(body)[:5]
    m.open_with(meeting, people)
    m.vote(meeting, case, people[:4], ["approve", "approve", "send_back", "send_back"])
    meetings.meeting_close(meeting_id=meeting.pk, by=h.office())
    agenda = m.item(meeting, case)
    assert agenda.tally == {"approve": 2, "send_back": 2} and agenda.outcome == "send_back"
    assert "无选项获得过半数票" in agenda.record
    case.refresh_from_db()
    assert case.state == S.UNDER_REVIEW and case.meetings_held == 1


def test_a_third_meeting_is_refused_and_the_written_decision_is_recorded_with_its_reason():
    body = m.committee("leading_group")
    case = h.in_committee()
    for _ in range(2):
        m.decided(body, case, "send_back")
        Evaluation.objects.filter(pk=case.pk).update(state=S.COMMITTEE)  # (the review again, elided)
    with pytest.raises(MeetingRuleBroken, match="已审议 2 次，不能再上会"):
        m.convene(body, case)
    with pytest.raises(MeetingRuleBroken, match="理由"):
        meetings.written_decision_record(evaluation_id=case.pk, outcome="approve", reason=" ", by=h.office())
    staff = h.office()
    decision = meetings.written_decision_record(evaluation_id=case.pk, outcome="approve", reason="两次会议意见分歧，领导小组书面同意",
                                                by=staff)
    case.refresh_from_db()
    assert case.state == S.PUBLIC_NOTICE and decision.recorded_by == staff
    assert "书面决定：两次会议意见分歧" in StateLog.objects.for_(case).latest("timestamp").description


def test_a_case_on_an_open_meeting_cannot_be_put_on_another_and_only_waiting_cases_of_the_programme_go_on():
    body = m.committee("leading_group")
    case = h.in_committee()
    m.convene(body, case)
    with pytest.raises(MeetingRuleBroken, match="另一次尚未结束的会议"):
        m.convene(body, case)
    with pytest.raises(MeetingRuleBroken, match="不在待审议阶段"):
        m.convene(body, h.initial_result())


@pytest.mark.parametrize(("grade", "levels"), [
    ("AAA", ["5星", "4星", "3星"]), ("AAA-", ["4星", "3星"]), ("AA", ["4星", "3星"]), ("AA-", []),
])
def test_the_star_options_never_exceed_what_the_credit_grade_allows(grade, levels):
    member = m.UnitMemberFactory(state="active")
    m.credit_grade(member, grade)
    evaluation = Evaluation(programme=m.Programme.objects.get(kind="capability"), member=member)
    assert [o for o, _ in evaluation.rules.committee_options(evaluation)] == [*levels, "不予评定"]


def test_a_star_vote_gives_the_initial_result_and_a_send_back_returns_the_report_to_the_group(
        django_capture_on_commit_callbacks):
    body = m.committee("capability")
    case, visit = m.capability_case(grade="AA")
    assert case.score == 82  # the group's total, out of 100
    meeting = m.convene(body, case)
    assert m.item(meeting, case).suggestion == "4星"
    people = m.seats(body)[:5]
    m.open_with(meeting, people)
    with pytest.raises(MeetingRuleBroken, match="请选择"):
        m.vote(meeting, case, people[:1], ["5星"])  # AA allows four stars at most
    m.vote(meeting, case, people, ["send_back", "send_back", "send_back", "4星", "4星"])
    with django_capture_on_commit_callbacks(execute=True):
        meetings.meeting_close(meeting_id=meeting.pk, by=h.office())
    case.refresh_from_db()
    assert case.state == S.ON_SITE and case.meetings_held == 1
    report = GroupReport.objects.get(visit=visit)
    assert Visit.objects.get(pk=visit.pk).state == Visit.State.NOTIFIED
    assert report.state == GroupReport.State.DRAFT and len(report.history) == 1
    assert report.signatures.filter(voided_at__isnull=False).count() == 5
    head = m.v.head_of(visit).expert.user
    assert Message.objects.filter(recipient=head, subject__contains="评价委员会退回").exists()
    # The group signs again; the second meeting gives four stars.
    report = m.v.circulated(visit)
    for seat in m.v.seated(visit):
        m.reports.report_sign(visit_id=visit.pk, content_hash=report.content_hash, by=seat.expert.user)
    m.decided(body, case, "4星")
    case.refresh_from_db()
    assert (case.state, case.grade, case.meetings_held) == (S.INITIAL_RESULT, "4星", 2)
    assert case.deadlines.get(kind="appeal_window").met_at is None
    # The institution may read the signed group report now.
    report = m.reports.report_pdf_render(report_id=report.pk)
    client = Client()
    client.force_login(case.member.user)
    assert client.get(file_url(report, "pdf")).status_code == 200


def test_minutes_are_made_from_the_record_signed_by_chair_and_secretary_and_an_edit_changes_the_hash():
    body = m.committee("leading_group")
    case = h.in_committee()
    meeting = m.decided(body, case, "approve")
    people = m.seats(body)
    assert f"应到委员 9 人，实到 5 人：{'、'.join(p.name for p in people[:5])}" in meeting.minutes
    assert "同意评价结果" in meeting.minutes and "5 票" in meeting.minutes
    with pytest.raises(MeetingRuleBroken, match="主任（组长）和秘书"):
        meetings.minutes_sign(meeting_id=meeting.pk, content_hash=meeting.minutes_hash, by=people[4].user)
    first_hash = meeting.minutes_hash
    meetings.minutes_sign(meeting_id=meeting.pk, content_hash=first_hash, by=people[0].user)
    edited = meetings.minutes_edit(meeting_id=meeting.pk, text=meeting.minutes + "\n补充：与会委员无异议。",
                                   reason="补充讨论情况", by=h.office())
    assert edited.minutes_hash != first_hash and len(edited.minutes_hash) == 64
    revision = MinutesRevision.objects.get(meeting=meeting)
    assert revision.previous_hash == first_hash and revision.reason == "补充讨论情况"
    with pytest.raises(MeetingRuleBroken, match="已修改"):
        meetings.minutes_sign(meeting_id=meeting.pk, content_hash=first_hash, by=people[1].user)
    meetings.minutes_sign(meeting_id=meeting.pk, content_hash=edited.minutes_hash, by=people[1].user)
    assert not meetings.minutes_signed(edited)  # the chair's signature was on the old text
    meetings.minutes_sign(meeting_id=meeting.pk, content_hash=edited.minutes_hash, by=people[0].user)
    rendered = meetings.minutes_pdf_render(meeting_id=meeting.pk)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(rendered.minutes_pdf.read())).pages)
    assert "与会委员无异议" in text and edited.minutes_hash in text.replace("\n", "") and people[0].name in text


def test_the_meeting_page_is_for_its_committee_only(django_capture_on_commit_callbacks):
    body = m.committee("leading_group")
    case = h.in_committee()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = m.convene(body, case)
    url = reverse("experts:meeting", args=[meeting.pk])
    client = Client()
    client.force_login(m.UnitMemberFactory().user)
    assert client.get(url).status_code == 404
    assert client.get(file_url(case, "report")).status_code in (403, 404)
    client.force_login(case.member.user)
    assert client.get(url).status_code == 404  # the institution never sees the committee's page
    client.force_login(m.seats(body)[3].user)
    page = client.get(url)
    assert page.status_code == 200 and case.member.name in page.content.decode()
    assert client.get(file_url(case, "report")).status_code == 200  # the case's materials
    client.force_login(h.office())
    assert client.get(url).status_code == 404  # the office runs it from the admin
    # Convening told every member.
    assert Message.objects.filter(recipient=m.seats(body)[8].user, subject__contains="会议通知").exists()


def test_cancelling_a_meeting_discards_nothing_and_frees_the_case():
    body = m.committee("leading_group")
    case = h.in_committee()
    meeting = m.convene(body, case)
    with pytest.raises(MeetingRuleBroken, match="取消原因"):
        meetings.meeting_cancel(meeting_id=meeting.pk, reason="", by=h.office())
    meetings.meeting_cancel(meeting_id=meeting.pk, reason="委员出差，改期", by=h.office())
    assert Meeting.objects.get(pk=meeting.pk).cancel_reason == "委员出差，改期"
    m.convene(body, case)  # the case may go on another meeting


def test_the_office_runs_a_meeting_from_the_admin_and_a_refusal_is_a_message(client, django_capture_on_commit_callbacks):
    body = m.committee("leading_group")
    case = h.in_committee()
    office = h.office()
    client.force_login(office)
    add = reverse("admin:experts_meeting_add")
    data = {"committee": body.pk, "held_at": "2020-01-01T10:00", "place": "协会第一会议室", "evaluation_ids": [case.pk]}
    response = client.post(add, data)
    assert response.status_code == 422 and "会议时间不能早于现在" in response.content.decode()
    response = client.post(add, {**data, "evaluation_ids": []})
    assert response.status_code == 422 and "协会第一会议室" in response.content.decode()  # what was typed stays
    data["held_at"] = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    client.post(add, data)
    meeting = Meeting.objects.get(items__evaluation=case)
    transition = "admin:experts_meeting_transition"
    present = {"present_member_ids": [s.pk for s in m.seats(body)[:4]]}
    # Tomorrow's meeting cannot open today: the members were told a time (moved first, with notices).
    response = client.post(reverse(transition, args=[meeting.pk, "open_voting"]), present, follow=True)
    assert "届时才能记录出席并开始投票" in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).state == Meeting.State.CONVENED
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse(transition, args=[meeting.pk, "move"]), {"held_at": now, "reason": "委员均已到场，提前召开"})
    move = meeting.moves.get()
    assert move.reason == "委员均已到场，提前召开" and move.by == office and move.previous_held_at > timezone.now()
    assert Message.objects.filter(subject__startswith="会议时间调整").count() == 9
    client.post(reverse(transition, args=[meeting.pk, "open_voting"]), present)
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.VOTING and meeting.attendance.filter(present=False).count() == 5
    page = client.get(reverse("admin:experts_meeting_change", args=[meeting.pk])).content.decode()
    assert "结束投票并计票" in page and "不少于 5 人且为单数" in page
    client.post(reverse(transition, args=[meeting.pk, "close"]))
    assert m.item(meeting, case).outcome == AgendaItem.NO_QUORUM
    response = client.post(reverse(transition, args=[meeting.pk, "close"]), follow=True)
    assert "未执行" in response.content.decode()


def test_the_agenda_page_costs_the_same_queries_for_one_item_or_three():
    body = m.committee("leading_group")
    counts = []
    for n in (1, 3):
        cases = [h.in_committee() for _ in range(n)]
        meeting = m.convene(body, *cases)
        m.open_with(meeting, m.seats(body)[:5])
        client = Client()
        client.force_login(m.seats(body)[2].user)
        url = reverse("experts:meeting", args=[meeting.pk])
        client.get(url)  # caches warmed (site settings, content types)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
        meetings.meeting_cancel(meeting_id=meeting.pk, reason="测试", by=h.office())
    assert counts[0] == counts[1]
