import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from core.downloads import file_url
from core.models import Message
from evaluation import selectors, services
from evaluation.deadlines import act_on_clocks, expire_results, remind_office
from evaluation.exceptions import AppealRefused, CommitteeRuleBroken, Incomplete, NotEligible, ResultChangeRefused
from evaluation.models import Deadline, Evaluation, Objection, SubmittedDocument
from evaluation.selectors import items_of
from experts.pool.evaluators import AssignmentRefused, assignment_create
from membership.models import Member
from tests.core.files import pdf_bytes, upload
from tests.evaluation import helpers as h
from tests.membership.factories import IndividualMemberFactory, UnitMemberFactory

pytestmark = pytest.mark.django_db
S = Evaluation.State


@pytest.mark.parametrize(("score", "grade"), [
    ("100", "AAA"), ("90", "AAA"), ("89.99", "AAA-"), ("85", "AAA-"), ("80", "AA+"), ("75", "AA"), ("70", "AA-"),
    ("65", "A+"), ("60", "A"), ("59.99", "BBB"), ("50", "BBB"), ("40", "BB"), ("30", "B"), ("20", "CCC"),
    ("10", "CC"), ("9.99", "C"), ("0", "C"),
])
def test_grade_bands_are_lower_inclusive(score, grade):
    assert h.credit().grade_for(Decimal(score)) == grade


def test_a_score_outside_0_to_100_is_an_error():
    with pytest.raises(ValueError):
        h.credit().grade_for(Decimal("100.01"))


def test_only_active_unit_members_may_apply():
    programme = h.credit()
    for member in (UnitMemberFactory(state=Member.State.APPROVED), IndividualMemberFactory(state=Member.State.ACTIVE)):
        with pytest.raises(NotEligible):
            services.evaluation_start(member=member, programme=programme,
                                      declarations=programme.declaration_list(), by=member.user)


def test_every_declaration_must_be_ticked_and_one_evaluation_runs_at_a_time():
    programme = h.credit()
    member = UnitMemberFactory(state=Member.State.ACTIVE)
    with pytest.raises(Incomplete):
        services.evaluation_start(member=member, programme=programme, declarations=[], by=member.user)
    h.started(member)
    with pytest.raises(NotEligible):
        h.started(member)


def test_submitting_needs_every_document_and_starts_the_10_working_day_clock():
    evaluation = h.started()
    with pytest.raises(Incomplete, match="请上传"):
        services.evaluation_submit(evaluation_id=evaluation.pk, handler_name="王", handler_mobile="13700000000",
                                   by=evaluation.member.user)
    evaluation = h.submitted(evaluation)
    assert evaluation.state == S.SUBMITTED
    clock = evaluation.deadlines.get(kind="accept")
    assert clock.due_on > clock.starts_on


def test_returned_documents_keep_every_version():
    evaluation = h.submitted()
    services.evaluation_return(evaluation_id=evaluation.pk, comment="承诺书未盖章", by=h.office())
    document = evaluation.programme.documents.get(name="医疗机构承诺书")
    old = evaluation.documents.get(document=document)
    services.evaluation_remove_document(evaluation_id=evaluation.pk, submitted_id=old.pk, by=evaluation.member.user)
    services.evaluation_upload_document(evaluation_id=evaluation.pk, document_id=document.pk,
                                        file=upload("承诺书（盖章）.pdf", pdf_bytes()), by=evaluation.member.user)
    services.evaluation_submit(evaluation_id=evaluation.pk, handler_name="王", handler_mobile="13700000000",
                               by=evaluation.member.user)
    versions = SubmittedDocument.objects.filter(evaluation=evaluation, document=document)
    assert versions.count() == 2 and versions.filter(superseded=True).get().pk == old.pk


def test_accepting_sets_the_fee_by_institution_type_and_paying_opens_the_questionnaire():
    evaluation = h.accepted()
    assert (evaluation.state, evaluation.fee) == (S.AWAITING_PAYMENT, Decimal("8000.00"))
    evaluation = h.paid(evaluation)
    assert evaluation.state == S.SELF_ASSESSMENT
    assert evaluation.member.user.orders.get().invoice_title == evaluation.member.name


def test_the_questionnaire_saves_and_resumes_and_submits_only_when_complete():
    evaluation = h.paid()
    first = items_of(evaluation.programme).first()
    option = first.options.get(text="部分符合")
    assert services.evaluation_save_answers(evaluation_id=evaluation.pk, answers={first.pk: option.pk},
                                            by=evaluation.member.user) == Decimal("16.67")  # 5 of 30
    with pytest.raises(Incomplete, match="2 道必答题"):
        services.evaluation_submit_self_assessment(evaluation_id=evaluation.pk, by=evaluation.member.user)
    assert h.answer_all(evaluation) == Decimal(100)  # 30 of 30, out of 100 like the evaluators' scores
    evaluation = services.evaluation_submit_self_assessment(evaluation_id=evaluation.pk, by=evaluation.member.user)
    assert (evaluation.state, evaluation.self_score) == (S.UNDER_REVIEW, Decimal(100))


def test_the_score_is_the_evaluators_not_the_self_score():
    evaluation = h.under_review()  # self-score: full marks
    h.scored(evaluation, Decimal(6))  # 18 of 30 -> 60
    h.scored(evaluation, Decimal(5))  # 15 of 30 -> 50
    evaluation = services.evaluation_initial_result(evaluation_id=evaluation.pk, by=h.office(),
                                                    report=upload("r.pdf", pdf_bytes()))
    assert (evaluation.score, evaluation.grade) == (Decimal("55.00"), "BBB")
    assert evaluation.self_score == Decimal(100)


def test_an_evaluator_employed_by_the_institution_cannot_be_assigned():
    evaluation = h.under_review()
    insider = h.evaluator(name="内部人员", employer_credit_code=evaluation.member.credit_code)
    with pytest.raises(AssignmentRefused, match="回避"):
        assignment_create(evaluation=evaluation, evaluator=insider, by=h.office())


def test_evaluator_scores_stay_within_each_questions_points():
    evaluation = h.under_review()
    person = h.evaluator()
    assignment = assignment_create(evaluation=evaluation, evaluator=person, by=h.office())
    question = items_of(evaluation.programme).first()
    with pytest.raises(Incomplete, match="0 至 10"):
        services.assignment_save_scores(assignment_id=assignment.pk, scores={question.pk: (Decimal(11), "")},
                                        comment="", submit=False, by=person.user)
    services.assignment_save_scores(assignment_id=assignment.pk, scores={question.pk: (Decimal(8), "好")},
                                    comment="草稿", submit=False, by=person.user)
    with pytest.raises(Incomplete, match="全部评价条目"):
        services.assignment_save_scores(assignment_id=assignment.pk, scores={}, comment="", submit=True, by=person.user)


def test_appeal_within_the_window_goes_to_the_office_and_only_once():
    evaluation = h.initial_result()
    services.evaluation_appeal(evaluation_id=evaluation.pk, reasons="对第二部分评分有异议", by=evaluation.member.user)
    evaluation.refresh_from_db()
    assert evaluation.state == S.APPEALED
    assert evaluation.deadlines.get(kind="appeal_window").met_at is not None
    with pytest.raises(AppealRefused, match="仅限一次"):
        services.evaluation_appeal(evaluation_id=evaluation.pk, reasons="再次复议", by=evaluation.member.user)


def test_an_appeal_after_the_window_is_refused_with_the_date_it_closed():
    evaluation = h.initial_result()
    closes = evaluation.deadlines.get(kind="appeal_window").due_on
    with time_machine.travel(h.day_after(closes), tick=False), pytest.raises(AppealRefused) as refused:
        services.evaluation_appeal(evaluation_id=evaluation.pk, reasons="迟到的复议", by=evaluation.member.user)
    assert f"{closes:%Y年%m月%d日}" in str(refused.value)


def test_the_report_may_be_revised_once_when_answering_an_appeal():
    evaluation = h.initial_result()
    services.evaluation_appeal(evaluation_id=evaluation.pk, reasons="异议", by=evaluation.member.user)
    evaluation = services.evaluation_answer_appeal(evaluation_id=evaluation.pk, answer="已复核并修订报告",
                                                   revised_report=upload("r2.pdf", pdf_bytes()), by=h.office())
    assert evaluation.state == S.COMMITTEE and evaluation.report_revised


def test_a_third_committee_decision_is_refused_and_goes_to_the_written_decision():
    evaluation = h.in_committee()
    office = h.office()
    with pytest.raises(CommitteeRuleBroken, match="书面决定仅用于"):
        services.evaluation_committee_decide(evaluation_id=evaluation.pk, option="approve", record="书面",
                                             meeting=False, by=office)
    for _ in range(2):
        services.evaluation_committee_decide(evaluation_id=evaluation.pk, option="send_back", record="补充核实",
                                             by=office)
        evaluation.refresh_from_db()
        assert evaluation.state == S.UNDER_REVIEW
        Evaluation.objects.filter(pk=evaluation.pk).update(state=S.COMMITTEE)  # (review again elided)
    with pytest.raises(CommitteeRuleBroken, match="已审议 2 次"):
        services.evaluation_committee_decide(evaluation_id=evaluation.pk, option="approve", record="第三次", by=office)
    with pytest.raises(CommitteeRuleBroken, match="不是本案可作出的决定"):
        services.evaluation_committee_decide(evaluation_id=evaluation.pk, option="5星", record="书面", meeting=False,
                                             by=office)
    evaluation = services.evaluation_committee_decide(evaluation_id=evaluation.pk, option="approve", meeting=False,
                                                      record="评价领导小组书面决定：同意", by=office)
    assert evaluation.state == S.PUBLIC_NOTICE and evaluation.meetings_held == 2
    assert evaluation.deadlines.get(kind="notice").met_at is None


def test_the_appeal_window_closes_by_timer_once_across_a_real_holiday():
    with time_machine.travel(dt.datetime(2025, 9, 26, 10, tzinfo=timezone.get_current_timezone()), tick=False):
        evaluation = h.initial_result()
    window = evaluation.deadlines.get(kind="appeal_window")
    # 5 working days after Friday 26 September 2025: 28, 29, 30 September, then 9 and 10 October.
    assert window.due_on == dt.date(2025, 10, 10)
    assert act_on_clocks(h.day_after(dt.date(2025, 10, 8))) == 0  # still open during the holiday
    assert act_on_clocks(h.day_after(window.due_on)) == 1
    assert act_on_clocks(h.day_after(window.due_on)) == 0
    evaluation.refresh_from_db()
    assert evaluation.state == S.COMMITTEE
    assert StateLog.objects.for_(evaluation).filter(transition="close_appeal_window").count() == 1


def test_public_notice_ends_with_publication_once_and_one_notification(django_capture_on_commit_callbacks):
    evaluation = h.under_notice()
    notice = evaluation.deadlines.get(kind="notice")
    with django_capture_on_commit_callbacks(execute=True):
        assert act_on_clocks(h.day_after(notice.due_on)) == 1
        assert act_on_clocks(h.day_after(notice.due_on)) == 0
    evaluation.refresh_from_db()
    assert evaluation.state == S.PUBLISHED and evaluation.certificate_no.startswith("XY")
    assert evaluation.valid_until == timezone.localdate() + relativedelta(years=3) - dt.timedelta(days=1)
    assert evaluation.certificate and evaluation.plaque
    assert Message.objects.filter(recipient=evaluation.member.user, subject__contains="结果已发布").count() == 1
    assert evaluation.deadlines.get(kind="final_report").met_at is None


def test_an_upheld_objection_sends_the_evaluation_back_to_the_committee():
    evaluation = h.under_notice()
    objection = services.objection_submit(evaluation_id=evaluation.pk, name="张三", contact="13600000000",
                                          text="该机构存在违规行为")
    services.objection_decide(objection_id=objection.pk, upheld=True, reason="经核查属实", by=h.office())
    evaluation.refresh_from_db()
    assert evaluation.state == S.COMMITTEE
    notice = evaluation.deadlines.get(kind="notice")
    assert act_on_clocks(h.day_after(notice.due_on)) == 0


def test_a_pending_objection_holds_publication_and_tells_the_office(django_capture_on_commit_callbacks):
    office = h.office()
    evaluation = h.under_notice()
    services.objection_submit(evaluation_id=evaluation.pk, name="李四", contact="lisi@example.cn", text="异议")
    notice = evaluation.deadlines.get(kind="notice")
    with django_capture_on_commit_callbacks(execute=True):
        act_on_clocks(h.day_after(notice.due_on))
    evaluation.refresh_from_db()
    assert evaluation.state == S.PUBLIC_NOTICE
    assert office.messages.filter(subject__contains="已逾期").exists()


def test_office_clocks_are_reminded_before_and_escalated_after(django_capture_on_commit_callbacks):
    office = h.office()
    evaluation = h.submitted()
    clock = evaluation.deadlines.get(kind="accept")
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_office(timezone.make_aware(dt.datetime.combine(clock.starts_on, dt.time(8)))) == 0  # too early
        assert remind_office(timezone.make_aware(dt.datetime.combine(clock.due_on, dt.time(8)))) == 1
        assert remind_office(timezone.make_aware(dt.datetime.combine(clock.due_on, dt.time(9)))) == 0
        assert act_on_clocks(h.day_after(clock.due_on)) == 1
    assert office.messages.filter(subject__contains="时限将至").count() == 1
    assert office.messages.filter(subject__contains="已逾期").count() == 1


def test_published_results_expire_when_validity_ends_and_may_be_extended_once():
    evaluation = h.under_notice()
    act_on_clocks(h.day_after(evaluation.deadlines.get(kind="notice").due_on))
    evaluation.refresh_from_db()
    end = evaluation.valid_until
    services.evaluation_extend(evaluation_id=evaluation.pk, months=6, reason="疫情原因延期续评", by=h.office())
    with pytest.raises(ResultChangeRefused, match="只能延期一次"):
        services.evaluation_extend(evaluation_id=evaluation.pk, months=1, reason="再次", by=h.office())
    evaluation.refresh_from_db()
    assert expire_results(h.day_after(end)) == 0
    assert expire_results(h.day_after(evaluation.valid_until)) == 1
    assert expire_results(h.day_after(evaluation.valid_until)) == 0
    evaluation.refresh_from_db()
    assert evaluation.state == S.EXPIRED


def test_renewal_opens_six_months_before_expiry():
    evaluation = h.under_notice()
    act_on_clocks(h.day_after(evaluation.deadlines.get(kind="notice").due_on))
    evaluation.refresh_from_db()
    with pytest.raises(NotEligible, match="起申请续评"):
        h.started(evaluation.member)
    opens = evaluation.valid_until - relativedelta(months=6)
    with time_machine.travel(h.day_after(opens), tick=False):
        renewal = h.started(evaluation.member)
    assert renewal.state == S.DRAFT


def test_downgrade_and_revoke_need_reasons_and_a_lower_grade():
    evaluation = h.under_notice()
    act_on_clocks(h.day_after(evaluation.deadlines.get(kind="notice").due_on))
    evaluation.refresh_from_db()
    with pytest.raises(ResultChangeRefused):
        services.evaluation_downgrade(evaluation_id=evaluation.pk, grade="AAA", reason="x", by=h.office(), **h.approved())
    evaluation = services.evaluation_downgrade(evaluation_id=evaluation.pk, grade="BB", reason="核查发现违规",
                                               by=h.office(), **h.approved())
    assert (evaluation.state, evaluation.grade) == (S.PUBLISHED, "BB")
    evaluation = services.evaluation_revoke(evaluation_id=evaluation.pk, reason="严重失信，摘牌", by=h.office(), **h.approved())
    assert evaluation.state == S.REVOKED


def test_every_step_is_logged_with_who_and_when():
    evaluation = h.under_notice()
    transitions = list(StateLog.objects.for_(evaluation).order_by("timestamp").values_list("transition", flat=True))
    assert transitions == ["submit", "accept", "fee_paid", "submit_self_assessment", "give_initial_result",
                           "close_appeal_window", "committee_approve"]
    assert StateLog.objects.for_(evaluation).get(transition="accept").by.is_staff


def test_objections_only_while_under_notice():
    evaluation = h.in_committee()
    with pytest.raises(Incomplete):
        services.objection_submit(evaluation_id=evaluation.pk, name="王", contact="1", text="x")
    assert not Objection.objects.exists()
    assert Deadline.objects.filter(evaluation=evaluation).exists()


def test_the_institution_is_reminded_once_before_its_appeal_window_closes(django_capture_on_commit_callbacks):
    evaluation = h.initial_result()
    window = evaluation.deadlines.get(kind="appeal_window")
    morning = timezone.make_aware(dt.datetime.combine(window.due_on, dt.time(8)))
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_office(morning) == 1
        assert remind_office(morning) == 0
    assert evaluation.member.user.messages.filter(subject__contains="复议申请期将于").count() == 1


def test_dismissing_the_last_objection_after_the_notice_ran_out_publishes(client):
    evaluation = h.under_notice()
    first = services.objection_submit(evaluation_id=evaluation.pk, name="甲", contact="1", text="异议一")
    second = services.objection_submit(evaluation_id=evaluation.pk, name="乙", contact="2", text="异议二")
    notice = evaluation.deadlines.get(kind="notice")
    after = h.day_after(notice.due_on)
    act_on_clocks(after)
    with time_machine.travel(after):
        evaluation.refresh_from_db()
        assert selectors.notice_held(evaluation)
        client.force_login(h.office())
        change = client.get(reverse("admin:evaluation_evaluation_change", args=[evaluation.pk])).content.decode()
        assert "因 2 件待处理异议暂缓发布" in change
        services.objection_decide(objection_id=first.pk, upheld=False, reason="不属实", by=h.office())
        evaluation.refresh_from_db()
        assert evaluation.state == S.PUBLIC_NOTICE  # one still pending
        services.objection_decide(objection_id=second.pk, upheld=False, reason="不属实", by=h.office())
    evaluation.refresh_from_db()
    assert evaluation.state == S.PUBLISHED and evaluation.certificate_no


def test_dismissing_an_objection_within_the_notice_does_not_publish_early():
    evaluation = h.under_notice()
    objection = services.objection_submit(evaluation_id=evaluation.pk, name="甲", contact="1", text="异议")
    services.objection_decide(objection_id=objection.pk, upheld=False, reason="不属实", by=h.office())
    evaluation.refresh_from_db()
    assert evaluation.state == S.PUBLIC_NOTICE


def test_the_extension_reason_is_kept_on_the_record_and_in_the_log():
    evaluation = h.under_notice()
    act_on_clocks(h.day_after(evaluation.deadlines.get(kind="notice").due_on))
    office = h.office()
    services.evaluation_extend(evaluation_id=evaluation.pk, months=3, reason="机构搬迁，延期续评", by=office)
    evaluation.refresh_from_db()
    assert evaluation.extension_reason == "机构搬迁，延期续评"
    log = StateLog.objects.for_(evaluation).filter(transition="extend").get()
    assert log.by == office and "机构搬迁" in log.description


def test_a_revised_report_and_reissued_certificates_keep_the_old_files():
    evaluation = h.initial_result()
    first_report = evaluation.report.name
    services.evaluation_appeal(evaluation_id=evaluation.pk, reasons="异议", by=evaluation.member.user)
    services.evaluation_answer_appeal(evaluation_id=evaluation.pk, answer="修订", by=h.office(),
                                      revised_report=upload("r2.pdf", pdf_bytes()))
    kept = evaluation.superseded_files.get()
    assert kept.file.name == first_report and kept.reason == "复议后修订评价报告"
    assert kept.file.storage.exists(kept.file.name)


def test_a_downgrade_keeps_the_old_certificate_and_plaque(django_capture_on_commit_callbacks):
    evaluation = h.under_notice()
    with django_capture_on_commit_callbacks(execute=True):
        act_on_clocks(h.day_after(evaluation.deadlines.get(kind="notice").due_on))
    evaluation.refresh_from_db()
    old = {evaluation.certificate.name, evaluation.plaque.name}
    services.evaluation_downgrade(evaluation_id=evaluation.pk, grade="BB", reason="核查发现违规", by=h.office(), **h.approved())
    assert set(evaluation.superseded_files.values_list("file", flat=True)) == old


def test_the_credit_programme_ships_its_four_blank_forms_with_headings_and_fields(client):
    from io import BytesIO

    from pypdf import PdfReader

    from evaluation.document_templates import templates_attach

    programme = h.credit()
    assert templates_attach(programme=programme) == 4
    assert templates_attach(programme=programme) == 0  # once
    texts = {}
    for document in programme.documents.all():
        with document.template.open("rb") as fh:
            texts[document.name] = "".join(page.extract_text() for page in PdfReader(BytesIO(fh.read())).pages)
    assert "统一社会信用代码" in texts["社会信用评价申报表"] and "法定代表人（签字）" in texts["社会信用评价申报表"]
    assert "卫生技术人员数" in texts["社会信用评价信息登记表"]
    assert "医疗机构执业许可证" in texts["医疗机构承诺书"]
    assert "五个工作日" in texts["国家行业评价确认书"]
    client.force_login(UnitMemberFactory().user)
    assert client.get(file_url(programme.documents.first(), "template")).status_code == 200
