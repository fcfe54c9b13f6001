"""服务能力评价 applying: eligibility at the door, the online application form (annex 2-2) saved as
typed, validated and rendered to PDF, the signed scan, the provincial association's and the
office's clocks, acceptance with its notice, and the credit programme left as it was."""
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_fsm import can_proceed
from django_fsm_log.models import StateLog
from pypdf import PdfReader

from core.models import OutboxJob
from evaluation import services
from evaluation.application_form import SECTION_KEYS, years_before
from evaluation.demo_capability import complete_answers
from evaluation.exceptions import Incomplete, NotEligible
from evaluation.models import ApplicationForm, ApplicationFormVersion, Evaluation, Programme, ProvincialAssociation
from tests.core.files import pdf_bytes, upload
from tests.evaluation import helpers as h
from tests.membership.factories import UnitMemberFactory
from tests.payments.helpers import login

pytestmark = pytest.mark.django_db
S = Evaluation.State
TZ = timezone.get_current_timezone


def _eligible_member(grade="AA"):
    member = UnitMemberFactory(state="active")
    member.unit.opened_on = timezone.localdate() - dt.timedelta(days=365 * 5)
    member.unit.save()
    h.credit()
    published = Evaluation.objects.create(programme=Programme.objects.get(kind="credit"), member=member,
                                          agreed_at=timezone.now(), grade=grade, published_at=timezone.now(),
                                          valid_until=timezone.localdate() + dt.timedelta(days=365))
    Evaluation.objects.filter(pk=published.pk).update(state=S.PUBLISHED)
    return member


def _start(member=None) -> Evaluation:
    member = member or _eligible_member()
    programme = Programme.objects.get(kind="capability")
    return services.evaluation_start(member=member, programme=programme, declarations=programme.declaration_list(),
                                     by=member.user)


def _fill(evaluation, **cover) -> ApplicationForm:
    """Every section saved; the PDF rendered as the worker would once the save commits."""
    answers = complete_answers(evaluation.application_form.years)
    answers["cover"].update(cover)
    for key in SECTION_KEYS:
        form = services.application_form_save(evaluation_id=evaluation.pk, section_key=key, answers=answers[key],
                                              by=evaluation.member.user)
    return services.application_form_render(form_id=form.pk)


def _scan(evaluation):
    document = evaluation.programme.documents.get()
    services.evaluation_upload_document(evaluation_id=evaluation.pk, document_id=document.pk,
                                        file=upload("申报表（盖章）.pdf", pdf_bytes()), by=evaluation.member.user)


def _submit(evaluation):
    return services.evaluation_submit(evaluation_id=evaluation.pk, handler_name="赵经办", handler_mobile="13700000009",
                                      by=evaluation.member.user)


def _submitted(**cover) -> Evaluation:
    evaluation = _start()
    _fill(evaluation, **cover)
    _scan(evaluation)
    return _submit(evaluation)


def _pdf_text(field_file) -> str:
    with field_file.open("rb") as fh:
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(fh.read())).pages)


# --- eligibility at the door (004 §3, §17) ------------------------------------------------------

@pytest.mark.parametrize(("setup", "message"), [
    ("not_active", "仅会员资格有效的单位会员"),
    ("young", "机构开业满 3 年方可申请"),
    ("no_credit", "无有效结果"),
    ("low_credit", "当前：A+"),
])
def test_each_unmet_condition_refuses_the_application_and_says_what_to_do(setup, message):
    member = _eligible_member() if setup != "low_credit" else _eligible_member("A+")
    if setup == "not_active":
        member = UnitMemberFactory(state="expired")
    elif setup == "young":
        member.unit.opened_on = timezone.localdate() - dt.timedelta(days=365 * 2)
        member.unit.save()
    elif setup == "no_credit":
        member.evaluations.all().delete()
    with pytest.raises(NotEligible, match=message):
        _start(member)
    assert not member.evaluations.filter(programme__kind="capability").exists()


def test_the_evaluation_page_names_the_unmet_conditions_with_a_link_to_credit(client):
    member = UnitMemberFactory(state="active")
    login(client, member.user)
    page = client.get(reverse("evaluation:index")).content.decode()
    assert "请先申请社会信用评价" in page and reverse("evaluation:apply", args=["credit"]) in page
    programme = Programme.objects.get(kind="capability")
    assert client.get(reverse("evaluation:apply", args=["capability"])).url == reverse("evaluation:index")
    response = client.post(reverse("evaluation:apply", args=["capability"]),
                           {"agree": "on", "declarations": programme.declaration_list()}, follow=True)
    assert "暂不能申请服务能力评价" in response.content.decode()
    assert not Evaluation.objects.filter(member=member, programme__kind="capability").exists()


def test_applying_with_the_manual_labels_opens_the_form_prefilled_from_the_profile(client):
    member = _eligible_member()
    login(client, member.user)
    page = client.get(reverse("evaluation:apply", args=["capability"])).content.decode()
    assert "我已阅读，并同意" in page and "马上申请" in page
    programme = Programme.objects.get(kind="capability")
    response = client.post(reverse("evaluation:apply", args=["capability"]),
                           {"agree": "on", "declarations": programme.declaration_list()})
    evaluation = Evaluation.objects.get(member=member, programme=programme)
    assert response.url == reverse("evaluation:form", args=[evaluation.pk])
    page = client.get(reverse("evaluation:form", args=[evaluation.pk])).content.decode()
    assert member.unit.address in page  # the cover section, prefilled
    page = client.get(reverse("evaluation:form_section", args=[evaluation.pk, "basic"])).content.decode()
    assert member.unit.legal_representative in page and f"{member.unit.opened_on:%Y-%m}" in page


# --- the form: saved as typed, validated field by field ---------------------------------------

def test_saving_keeps_what_was_typed_and_shows_each_problem_by_its_field(client):
    evaluation = _start()
    login(client, evaluation.member.user)
    url = reverse("evaluation:form_section", args=[evaluation.pk, "basic"])
    answers = complete_answers(evaluation.application_form.years)["basic"]
    answers.update(registered_capital="五百万", investor_intro="", business_area="1500", building_area="1200")
    response = client.post(url, {**answers, "action": "save"})
    assert response.status_code == 302
    form = ApplicationForm.objects.get(evaluation=evaluation)
    assert form.data["basic"]["registered_capital"] == "五百万"  # nothing typed is lost
    page = client.get(url).content.decode()
    assert "五百万" in page and "请填写阿拉伯数字。" in page
    assert "请填写；不适用的请填“无”。" in page
    assert "业务用房面积（1500）不能大于建筑面积（1200）。" in page
    assert ">待完善<" in page
    assert form.filled().incomplete()


def test_the_roster_takes_rows_added_and_removed(client):
    evaluation = _start()
    login(client, evaluation.member.user)
    url = reverse("evaluation:form_section", args=[evaluation.pk, "staff"])
    staff = complete_answers(evaluation.application_form.years)["staff"]
    plain = {k: v for k, v in staff.items() if k != "heads"}
    rows = {"heads-TOTAL_FORMS": "3", "heads-INITIAL_FORMS": "0"}
    for i, (name, title) in enumerate([("王医生", "主任医师"), ("李医生", "主治医师"), ("", "")]):
        rows.update({f"heads-{i}-name": name, f"heads-{i}-gender": "女", f"heads-{i}-age": "40",
                     f"heads-{i}-specialty": "口腔修复", f"heads-{i}-title": title, f"heads-{i}-since": "2019-05"})
    rows.update({f"heads-2-{name}": "" for name in ("gender", "age", "specialty", "since")})  # left blank
    response = client.post(url, {**plain, **rows, "action": "add_row"})
    assert response.url.endswith("?rows=2#rows")
    form = ApplicationForm.objects.get(evaluation=evaluation)
    assert [r["name"] for r in form.data["staff"]["heads"]] == ["王医生", "李医生"]  # the blank row is not kept
    assert client.get(response.url).content.decode().count('name="heads-') >= 4 * 6  # two rows and two blank
    client.post(url, {**plain, **rows, "heads-0-DELETE": "on", "action": "save"})
    form.refresh_from_db()
    assert [r["name"] for r in form.data["staff"]["heads"]] == ["李医生"]
    client.post(url, {**plain, "heads-TOTAL_FORMS": "1", "heads-INITIAL_FORMS": "0", "heads-0-DELETE": "on",
                      **{f"heads-0-{k}": v for k, v in form.data["staff"]["heads"][0].items()}, "action": "save"})
    assert "请至少填写 1 行" in client.get(url).content.decode()


def test_equipment_is_listed_or_declared_none():
    evaluation = _start()
    answers = complete_answers(evaluation.application_form.years)["equipment"]
    form = ApplicationForm.objects.get(evaluation=evaluation)
    for rows, none, complete in [([], False, False), ([], True, True), (answers["equipment"], True, False),
                                 (answers["equipment"], False, True)]:
        services.application_form_save(evaluation_id=evaluation.pk, section_key="equipment",
                                       answers={"equipment": rows, "equipment_none": none}, by=evaluation.member.user)
        form.refresh_from_db()
        assert form.filled().state("equipment").complete is complete, (rows, none)


def test_an_unknown_section_or_another_members_form_is_not_found(client):
    evaluation = _start()
    login(client, evaluation.member.user)
    assert client.get(reverse("evaluation:form_section", args=[evaluation.pk, "nosuch"])).status_code == 404
    client.logout()
    login(client, _eligible_member().user)
    assert client.get(reverse("evaluation:form", args=[evaluation.pk])).status_code == 404
    assert client.post(reverse("evaluation:form_section", args=[evaluation.pk, "cover"]),
                       {"district": "x"}).status_code == 404
    assert "cover" not in ApplicationForm.objects.get(evaluation=evaluation).data


def test_the_complete_form_renders_a_pdf_laid_out_like_the_annex(django_capture_on_commit_callbacks):
    evaluation = _start()
    answers = complete_answers(evaluation.application_form.years)
    for key in SECTION_KEYS[:-1]:
        services.application_form_save(evaluation_id=evaluation.pk, section_key=key, answers=answers[key],
                                       by=evaluation.member.user)
    assert not OutboxJob.objects.filter(task__endswith="generate_application_form_pdf").exists()
    with django_capture_on_commit_callbacks(execute=True):  # the last section completes it: the worker renders
        services.application_form_save(evaluation_id=evaluation.pk, section_key=SECTION_KEYS[-1],
                                       answers=answers[SECTION_KEYS[-1]], by=evaluation.member.user)
    form = ApplicationForm.objects.get(evaluation=evaluation)
    assert form.pdf_current
    text = _pdf_text(form.pdf)
    years = years_before(evaluation.agreed_at.year)
    for expected in ("中国非公立医疗机构协会会员单位", "能力评价申报表", evaluation.member.name, "王医生", "口腔修复",
                     "副主任医师", "李医生", f"{years[2]}年", "36500", "2410", "口腔锥形束 CT", "单位法定代表人签字",
                     "五、星级医疗机构创建工作的主要成绩与感悟"):
        assert expected.replace(" ", "") in text.replace(" ", "").replace("\n", ""), expected


def test_a_change_after_the_pdf_makes_a_new_pdf_and_asks_for_a_new_scan(django_capture_on_commit_callbacks):
    evaluation = _start()
    with django_capture_on_commit_callbacks(execute=True):
        form = _fill(evaluation)
    _scan(evaluation)
    answers = dict(form.data["narratives"], problems="信息化水平待提高。")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_form_save(evaluation_id=evaluation.pk, section_key="narratives", answers=answers,
                                       by=evaluation.member.user)
    form.refresh_from_db()
    assert form.pdf_current and "信息化水平待提高" in _pdf_text(form.pdf)
    with pytest.raises(Incomplete, match="重新下载申报表"):
        _submit(evaluation)
    _scan(evaluation)
    assert _submit(evaluation).state == S.SUBMITTED


def test_submission_is_refused_while_the_form_is_incomplete_and_keeps_a_copy_when_it_goes():
    evaluation = _start()
    _scan(evaluation)
    with pytest.raises(Incomplete, match="申报表尚未填写完整：封面：通讯与联系信息、一、医疗机构基本情况"):
        _submit(evaluation)
    _fill(evaluation)
    _scan(evaluation)
    evaluation = _submit(evaluation)
    version = ApplicationFormVersion.objects.get(form__evaluation=evaluation)
    assert version.data == evaluation.application_form.data and version.submitted_by == evaluation.member.user
    assert (evaluation.handler_name, evaluation.handler_mobile) == ("赵经办", "13700000009")
    with pytest.raises(Incomplete, match="申报表已提交"):
        services.application_form_save(evaluation_id=evaluation.pk, section_key="cover", answers={},
                                       by=evaluation.member.user)


# --- acceptance: the provincial association, the office, the notice ---------------------------

def test_without_a_provincial_association_the_office_has_10_working_days():
    evaluation = _submitted(province="西藏自治区")
    assert not evaluation.provincial_reviews.exists()
    assert set(evaluation.deadlines.values_list("kind", flat=True)) == {"accept"}
    assert can_proceed(evaluation.accept)


def test_the_provincial_review_and_the_office_clock_across_the_national_day_holiday():
    ProvincialAssociation.objects.create(province="广东省", name="广东省非公立医疗机构协会")
    with time_machine.travel(dt.datetime(2025, 9, 26, 10, tzinfo=TZ()), tick=False):
        evaluation = _submitted(province="广东省")
    review = evaluation.provincial_reviews.get()
    clock = evaluation.deadlines.get(kind="provincial")
    # 15 working days from Friday 26 September 2025: 28-30 September, 9-11 October (11th a make-up
    # Saturday), 13-17 and 20-23 October; the 1-8 October holiday does not count.
    assert (clock.starts_on, clock.due_on) == (dt.date(2025, 9, 26), dt.date(2025, 10, 23))
    assert not evaluation.deadlines.filter(kind="accept").exists()
    assert not can_proceed(evaluation.accept)
    with pytest.raises(Incomplete, match="省级协会尚未同意上报"):
        services.evaluation_accept(evaluation_id=evaluation.pk, by=h.office())
    with time_machine.travel(dt.datetime(2025, 10, 9, 10, tzinfo=TZ()), tick=False), \
            pytest.raises(Incomplete, match="届满后方可由评价办公室直接审核"):
        services.provincial_review_lapse(review_id=review.pk, reason="已电话催办", by=h.office())
    with time_machine.travel(dt.datetime(2025, 10, 20, 10, tzinfo=TZ()), tick=False):
        services.provincial_review_decide(review_id=review.pk, agreed=True, opinion="材料属实，同意上报。", by=h.office())
    clock.refresh_from_db()
    accept = evaluation.deadlines.get(kind="accept")
    assert clock.met_at is not None
    assert (accept.starts_on, accept.due_on) == (dt.date(2025, 10, 20), dt.date(2025, 11, 3))
    review.refresh_from_db()
    assert (review.decision, review.opinion) == ("agreed", "材料属实，同意上报。")
    evaluation.refresh_from_db()
    assert can_proceed(evaluation.accept)


def test_an_objecting_association_leaves_the_office_return_or_reject_only():
    ProvincialAssociation.objects.create(province="广东省", name="广东省非公立医疗机构协会")
    evaluation = _submitted(province="广东省")
    review = evaluation.provincial_reviews.get()
    office = h.office()
    services.provincial_review_decide(review_id=review.pk, agreed=False, opinion="开业证明与申报不符。", by=office)
    with pytest.raises(Incomplete, match="不同意上报的请退回修改或不予受理"):
        services.evaluation_accept(evaluation_id=evaluation.pk, by=office)
    services.evaluation_reject(evaluation_id=evaluation.pk, reason="省级协会初审不同意上报。", by=office)


def test_a_lapsed_provincial_review_is_recorded_with_its_reason_and_the_office_decides():
    ProvincialAssociation.objects.create(province="广东省", name="广东省非公立医疗机构协会")
    evaluation = _submitted(province="广东省")
    clock = evaluation.deadlines.get(kind="provincial")
    review = evaluation.provincial_reviews.get()
    with time_machine.travel(h.day_after(clock.due_on), tick=False):
        services.provincial_review_lapse(review_id=review.pk, reason="两次催办未复。", by=h.office())
        assert services.evaluation_accept(evaluation_id=evaluation.pk, by=h.office()).state == S.EVIDENCE
    review.refresh_from_db()
    assert review.decision == "lapsed" and review.opinion == "两次催办未复。" and review.decided_by is not None


def test_the_office_returns_with_comments_per_section_then_the_resubmission_goes_on():
    evaluation = _submitted(province="西藏自治区")
    office = h.office()
    services.evaluation_return(evaluation_id=evaluation.pk, comment="请按分部分意见修改。", by=office,
                               section_comments={"staff": "临床科室负责人不全。", "equipment": " "})
    evaluation.refresh_from_db()
    assert evaluation.state == S.RETURNED
    assert evaluation.application_form.section_comments == {"staff": "临床科室负责人不全。"}
    log = StateLog.objects.for_(evaluation).get(transition="return_for_correction")
    assert "【二、医疗机构人员情况】临床科室负责人不全。" in log.description and log.by == office
    _scan(evaluation)
    evaluation = _submit(evaluation)
    assert evaluation.application_form.section_comments == {}
    assert ApplicationFormVersion.objects.filter(form__evaluation=evaluation).count() == 2


def test_the_returned_sections_show_the_office_comment(client):
    evaluation = _submitted(province="西藏自治区")
    services.evaluation_return(evaluation_id=evaluation.pk, comment="请修改。", by=h.office(),
                               section_comments={"staff": "临床科室负责人不全。"})
    login(client, evaluation.member.user)
    page = client.get(reverse("evaluation:form_section", args=[evaluation.pk, "staff"])).content.decode()
    assert "评价办公室意见：临床科室负责人不全。" in page


@pytest.mark.parametrize(("decision", "title", "words"), [
    ("accept", "受理通知书", "决定予以受理"), ("reject", "不予受理通知书", "开业年限证明不实"),
])
def test_the_decision_is_published_to_the_applicant_as_a_notice(client, django_capture_on_commit_callbacks,
                                                                decision, title, words):
    evaluation = _submitted(province="西藏自治区")
    with django_capture_on_commit_callbacks(execute=True):
        if decision == "accept":
            services.evaluation_accept(evaluation_id=evaluation.pk, by=h.office())
        else:
            services.evaluation_reject(evaluation_id=evaluation.pk, reason="开业年限证明不实。", by=h.office())
    evaluation.refresh_from_db()
    text = _pdf_text(evaluation.acceptance_notice)
    assert title in text and words in text and evaluation.member.name in text
    login(client, evaluation.member.user)
    page = client.get(reverse("evaluation:detail", args=[evaluation.pk])).content.decode()
    assert f"下载{title}" in page
    assert client.get(reverse("core:download", args=["evaluation.evaluation", evaluation.pk, "acceptance_notice"]),
                      ).status_code == 200
    client.logout()
    login(client, _eligible_member().user)
    assert client.get(reverse("core:download", args=["evaluation.evaluation", evaluation.pk, "acceptance_notice"]),
                      ).status_code == 404
    if decision == "accept":
        assert evaluation.state == S.EVIDENCE
        assert evaluation.member.user.messages.filter(body__contains="对照标准上传佐证材料").exists()


# --- the credit programme is as it was ----------------------------------------------------------

def test_credit_has_no_online_form_no_provincial_review_and_no_acceptance_notice(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        evaluation = h.accepted()
    assert not ApplicationForm.objects.filter(evaluation=evaluation).exists()
    assert not evaluation.provincial_reviews.exists()
    assert list(evaluation.deadlines.values_list("kind", flat=True)) == ["accept"]
    evaluation.refresh_from_db()
    assert evaluation.state == S.AWAITING_PAYMENT and not evaluation.acceptance_notice


def test_after_submission_the_form_reads_as_submitted_and_the_office_sees_it_in_the_admin(client, admin_client):
    evaluation = _submitted(province="西藏自治区")
    login(client, evaluation.member.user)
    page = client.get(reverse("evaluation:form_section", args=[evaluation.pk, "staff"])).content.decode()
    assert "以下为提交的内容" in page and "王医生" in page and 'name="staff_total"' not in page
    response = client.post(reverse("evaluation:form_section", args=[evaluation.pk, "staff"]), {"staff_total": "1"})
    assert response.status_code == 200
    assert evaluation.application_form.data["staff"]["staff_total"] == "86"  # unchanged
    page = admin_client.get(reverse("admin:evaluation_evaluation_change", args=[evaluation.pk])).content.decode()
    assert "展开申报表全文" in page and "王医生" in page and "下载申报表 PDF" in page


def test_a_star_case_recorded_without_the_online_form_says_so_instead_of_404(client):
    member = UnitMemberFactory(state="active")
    created = Evaluation.objects.create(programme=Programme.objects.get(kind="capability"), member=member,
                                        agreed_at=timezone.now())
    Evaluation.objects.filter(pk=created.pk).update(state=Evaluation.State.COMMITTEE)
    login(client, member.user)
    response = client.get(reverse("evaluation:form", args=[created.pk]))
    assert response.status_code == 200 and 'data-testid="no-online-form"' in response.content.decode()
    credit = h.started()
    login(client, credit.member.user)
    assert client.get(reverse("evaluation:form", args=[credit.pk])).status_code == 404  # no such form in credit
