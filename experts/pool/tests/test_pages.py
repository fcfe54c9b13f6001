"""Applying to the pool online, the office's decision in the admin, and the workbench."""
import datetime as dt
import re

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from core import sms
from core.models import StagedUpload
from experts.models import Expert
from experts.pool import views
from experts.pool.tests import helpers as x
from tests.accounts.factories import UserFactory
from tests.core.files import pdf_bytes, upload
from tests.evaluation.helpers import office
from tests.membership.factories import id_number

pytestmark = pytest.mark.django_db


def _form(**overrides):
    today = timezone.localdate()
    values = {"name": "周明", "gender": "male", "id_number": id_number(9001), "mobile": "13655550001",
              "email": "zhou@example.cn", "employer_name": "上海某口腔医院", "employer_credit_code": "",
              "province": "上海", "specialty": "clinical", "title": "associate",
              "title_since": (today - relativedelta(years=4)).isoformat(), "specialty_years": "10",
              "management_years": "0", "education": "硕士研究生", "cv": "口腔修复专业。",
              "password1": "Zhou-Ming-2026!", "password2": "Zhou-Ming-2026!",
              "consent_letter": upload("单位同意函.pdf", pdf_bytes())}
    values.update(overrides)
    return values


def _code(client, mobile="13655550001") -> str:
    """获取验证码 on the application page, and the code the phone received."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("experts:apply"), {"mobile": mobile, "send_code": "1"})
    return re.search(r"验证码为 (\d{6})", next(text for to, text in reversed(sms.outbox) if to == mobile))[1]


def test_a_visitor_applies_gets_an_account_and_follows_the_status_in_the_workbench(client):
    response = client.post(reverse("experts:apply"), _form(code=_code(client)))
    assert response.status_code == 302 and response["Location"] == reverse("experts:workbench")
    expert = Expert.objects.get(name="周明")
    assert expert.state == Expert.State.APPLIED and expert.user.mobile == "13655550001"
    assert expert.birth_date == dt.date(1980, 1, 14)  # read from the ID number
    page = client.get(reverse("experts:workbench")).content.decode()
    assert "待审核" in page and "上海某口腔医院" in page


def test_an_unqualified_application_names_the_condition_at_its_field_and_keeps_the_input(client):
    today = timezone.localdate()
    code = _code(client)
    response = client.post(reverse("experts:apply"), _form(code=code,
                                                           title_since=(today - relativedelta(years=2)).isoformat()))
    html = response.content.decode()
    field = html.split('data-field="specialty_years"')[1].split("data-field=")[0]
    assert "受聘满 3 年" in field
    assert 'value="上海某口腔医院"' in html
    assert not Expert.objects.exists()
    # The consent letter chosen is kept: the corrected application needs no new choice.
    assert "已上传：单位同意函.pdf" in html
    corrected = {k: v for k, v in _form(code=code).items() if k != "consent_letter"}
    assert client.post(reverse("experts:apply"), corrected).status_code == 302
    expert = Expert.objects.get()
    assert expert.consent_letter_name == "单位同意函.pdf" and expert.consent_letter.read().startswith(b"%PDF")
    assert not StagedUpload.objects.exists()


def test_a_signed_in_person_applies_with_their_own_account(client):
    user = UserFactory(mobile="13655550002", email="li@example.cn")
    client.force_login(user)
    client.post(reverse("experts:apply"), _form(mobile="13655550009", email="x@x.cn", password1="", password2=""))
    expert = Expert.objects.get()
    assert expert.user == user and expert.mobile == "13655550002"


def test_anonymous_applications_are_rate_limited_per_address(client):
    allowed = int(views.APPLY_RATE.split("/")[0])
    for _ in range(allowed):
        client.post(reverse("experts:apply"), _form(mobile="13", id_number="bad"))
    html = client.post(reverse("experts:apply"), _form(code=_code(client))).content.decode()
    assert "操作过于频繁" in html and not Expert.objects.exists()


def test_a_registered_mobile_is_told_only_to_its_proven_owner(client):
    UserFactory(mobile="13655550001")
    html = client.post(reverse("experts:apply"), _form(code="123456")).content.decode()
    assert "已注册" not in html and "请先获取短信验证码" in html
    with TestCase.captureOnCommitCallbacks(execute=True):
        sent = client.post(reverse("experts:apply"), {"mobile": "13655550001", "send_code": "1"}).content.decode()
    assert "验证码已发送至 136****0001" in sent and "已注册" not in sent
    code = re.search(r"验证码为 (\d{6})", sms.outbox[-1][1])[1]
    html = client.post(reverse("experts:apply"), _form(code=code)).content.decode()
    assert "该手机号已注册" in html and not Expert.objects.exists()


def test_the_office_approves_in_the_admin_and_the_expert_downloads_the_letter(client, django_capture_on_commit_callbacks):
    expert = x.applied()
    staff = office()
    client.force_login(staff)
    change = client.get(reverse("admin:experts_expert_change", args=[expert.pk])).content.decode()
    assert "审核通过（聘任）" in change and "不予通过" in change
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:experts_expert_transition", args=[expert.pk, "approve"]))
    expert.refresh_from_db()
    assert expert.state == Expert.State.APPOINTED
    client.force_login(expert.user)
    page = client.get(reverse("experts:workbench")).content.decode()
    assert "下载聘书" in page and "在聘" in page
    letter = expert.appointments.get()
    response = client.get(reverse("core:download", args=["experts.appointment", letter.pk, "letter"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(UserFactory())
    assert client.get(reverse("core:download", args=["experts.appointment", letter.pk, "letter"])).status_code == 404


def test_experts_declare_conflicts_in_the_workbench(client):
    expert = x.appointed()
    client.force_login(expert.user)
    client.post(reverse("experts:workbench"), {"kind": "former_employer", "institution_name": "杭州某口腔医院",
                                               "institution_credit_code": "", "starts_on": "2015-01-01",
                                               "ends_on": "2024-06-30", "note": ""})
    conflict = expert.conflicts.get()
    assert conflict.blocks_until == dt.date(2027, 6, 30) and conflict.declared_by == expert.user
    bad = client.post(reverse("experts:workbench"), {"kind": "other", "institution_name": "某机构",
                                                     "starts_on": "2026-05-01", "ends_on": "2026-04-01"})
    assert "截止日期不能早于起始日期" in bad.content.decode()


def test_the_pool_list_filters_and_counts_per_specialty(client):
    x.trained(x.appointed(specialty="law"))
    x.appointed(specialty="law")
    x.applied(specialty="nursing")
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="评价办公室"))
    client.force_login(user)
    html = client.get(reverse("admin:experts_expert_changelist")).content.decode()
    assert 'data-specialty="法律">法律 <strong>2</strong>' in html
    drawable = client.get(reverse("admin:experts_expert_changelist") + "?drawable=yes").content.decode()
    assert drawable.count('class="field-name"') == 1


def test_training_results_are_imported_from_excel_and_make_experts_drawable(client):
    import tablib

    from experts.models import TrainingSession
    from experts.pool.selectors import drawable

    ready, absent = x.appointed(), x.appointed()
    session = TrainingSession.objects.create(title="2026 年第一期评价业务培训", programme="capability",
                                             starts_on=timezone.localdate(), ends_on=timezone.localdate(), hours=8)
    sheet = tablib.Dataset(headers=["身份证号码", "姓名", "出勤", "考核合格"])
    sheet.append([ready.id_number, ready.name, "是", "是"])
    sheet.append([absent.id_number, absent.name, "否", "是"])  # absent: cannot pass
    sheet.append(["110105198001019999", "无此人", "是", "是"])
    client.force_login(office())
    url = reverse("admin:experts_trainingsession_import", args=[session.pk])
    response = client.post(url, {"file": upload("培训名单.xlsx", sheet.export("xlsx"))}, follow=True)
    html = response.content.decode()
    assert "已导入 2 条培训记录" in html and "第 4 行：找不到" in html
    assert set(drawable(day=timezone.localdate()).values_list("pk", flat=True)) == {ready.pk}
    refused = client.post(url, {"file": upload("名单.xlsx", b"PK\x03\x04 not really")}).content.decode()
    assert "Excel" in refused


def test_the_office_records_a_conflict_in_the_admin(client):
    expert = x.appointed()
    staff = office()
    client.force_login(staff)
    client.post(reverse("admin:experts_conflict_add"), {
        "expert": expert.pk, "kind": "investment", "institution_name": "宁波某口腔门诊部",
        "institution_credit_code": "", "starts_on": "2024-01-01", "ends_on": "", "note": "持股 5%"})
    conflict = expert.conflicts.get()
    assert conflict.declared_by == staff and conflict.blocks_until is None


def test_the_pool_list_filters_by_training(client):
    trained = x.trained(x.appointed(name="已培训专家"))
    x.appointed(name="未培训专家")
    client.force_login(office())
    html = client.get(reverse("admin:experts_expert_changelist") + "?trained=capability").content.decode()
    assert trained.name in html and "未培训专家" not in html


@pytest.mark.django_db(transaction=True)
def test_two_presses_of_submit_make_one_application_and_the_other_is_told():
    from django.test import Client

    from tests.concurrency import at_once, needs_postgresql

    needs_postgresql()
    data = _form(code=_code(Client()))
    letter = data.pop("consent_letter").read()

    def press():
        response = Client().post(reverse("experts:apply"), {**data, "consent_letter": upload("同意函.pdf", letter)})
        return response.status_code, response.content.decode()

    outcomes = at_once(press, 3)
    assert Expert.objects.count() == 1
    assert sum(status == 302 for status, _ in outcomes) == 1
    for status, html in outcomes:
        # The others are told the application went in (the account is now registered).
        assert status == 302 or (status == 200 and ("已用于其他账号或申请" in html or "已注册" in html))


def test_a_signed_in_person_cannot_apply_twice(client):
    from experts.exceptions import AlreadyApplied
    from experts.pool import services as pool

    expert = x.applied()
    with pytest.raises(AlreadyApplied):
        pool.expert_apply(data=x.data(), user=expert.user, consent_letter=upload("a.pdf", pdf_bytes()))
    assert Expert.objects.count() == 1


def test_the_office_sees_the_applicants_age_and_section_9_verdict_and_only_the_checked_letter_link(client):
    today = timezone.localdate()
    qualified = x.applied()
    aged = x.applied(id_number=id_number(9123))
    Expert.objects.filter(pk=aged.pk).update(birth_date=today - relativedelta(years=71))  # turned 70 since
    client.force_login(office())
    page = client.get(reverse("admin:experts_expert_change", args=[qualified.pk])).content.decode()
    assert f"{qualified.age_on(today)} 岁" in page and "符合第九条" in page
    assert "/media/" not in page and "Consent letter" not in page and "Reminded" not in page
    page = client.get(reverse("admin:experts_expert_change", args=[aged.pk])).content.decode()
    assert "71 岁" in page and "须在 70 岁以下" in page and "符合第九条（年龄" not in page
