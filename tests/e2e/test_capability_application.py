"""服务能力评价 applying in Chromium, by the manual's labels: 服务能力评价 → 我已阅读，并同意 → 马上申请
→ 申报表 (every section, a field refused and corrected, a roster row added) → the PDF → 提交 with
the signed scan → the provincial association's opinion and 受理 in the admin → 学习标准 →
对照标准上传材料 → 保存 → 请确认提交."""
import datetime as dt
import json
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone
from selenium.webdriver.common.by import By

from evaluation import services
from evaluation.demo_capability import complete_answers
from evaluation.models import ApplicationForm, Evaluation, Evidence, Programme, ProvincialAssociation
from membership.models import Member
from tests.core.files import pdf_bytes, png_bytes
from tests.e2e.helpers import click, download, fill, login, submit, temp_file, wait_for, wait_text
from tests.evaluation import helpers as h
from tests.membership.factories import UnitMemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _capability() -> Programme:
    """The programme as the migrations leave it (browser tests flush the database)."""
    import_module("evaluation.migrations.0012_capability_programme").create(apps, None)
    import_module("evaluation.migrations.0018_capability_open").open_programme(apps, None)
    programme = Programme.objects.get(kind="capability")
    services.standard_import(programme=programme, chapters=[
        {"text": "机构管理与依法执业", "items": [
            {"text": "持有有效的医疗机构执业许可证", "max_points": 10, "evidence_required": True,
             "guidance": "执业许可证正副本"},
            {"text": "建立院长负责的管理组织架构", "max_points": 10, "evidence_required": True}]},
        {"text": "医院感染预防与控制", "items": [
            {"text": "口腔器械一人一用一消毒（灭菌）", "max_points": 10, "evidence_required": False}]}])
    return programme


def _eligible(name) -> Member:
    member = UnitMemberFactory(state=Member.State.ACTIVE, name=name)
    member.unit.opened_on = timezone.localdate() - dt.timedelta(days=365 * 6)
    member.unit.save()
    credit = h.credit()
    result = Evaluation.objects.create(programme=credit, member=member, agreed_at=timezone.now(), grade="AA+",
                                       published_at=timezone.now(), valid_until=timezone.localdate() + dt.timedelta(days=400))
    Evaluation.objects.filter(pk=result.pk).update(state="published")
    return member


FILL_JS = """
const answers = JSON.parse(arguments[0]);
for (const [name, value] of Object.entries(answers)) {
  if (Array.isArray(value)) {
    document.querySelectorAll(`input[name="${name}"]`).forEach(box => { box.checked = value.includes(box.value); });
    continue;
  }
  if (typeof value !== "string") continue;
  const radios = document.querySelectorAll(`input[type=radio][name="${name}"]`);
  if (radios.length) { radios.forEach(r => { r.checked = r.value === value; }); continue; }
  const field = document.querySelector(`[name="${name}"]`);
  if (field) field.value = value;
}
"""


def _type_section(browser, answers):
    """Fill a section's fields as typed into the page (the tables' rows are typed separately)."""
    browser.execute_script(FILL_JS, json.dumps({k: v for k, v in answers.items() if not isinstance(v, bool)}))


def test_capability_application_from_agreement_to_submitted_evidence(browser, live_server):
    base = live_server.url
    programme = _capability()
    member = _eligible("广州某某口腔门诊部有限公司")
    ProvincialAssociation.objects.create(province="广东省", name="广东省非公立医疗机构协会")
    office = h.office()

    # 服务能力评价 → 我已阅读，并同意 → 马上申请
    login(browser, base, member.user.mobile)
    browser.get(base + "/evaluation/")
    click(browser, browser.find_element(By.LINK_TEXT, "服务能力评价"))
    click(browser, browser.find_element(By.NAME, "agree"))
    for box in browser.find_elements(By.NAME, "declarations"):
        click(browser, box)
    submit(browser, "马上申请")
    evaluation = Evaluation.objects.get(member=member, programme=programme)
    answers = complete_answers(ApplicationForm.objects.get(evaluation=evaluation).years)

    # 申报表: the cover is prefilled from the profile; a wrong postcode is refused by its field
    # and nothing typed is lost.
    wait_text(browser, "h2", "封面")
    assert browser.find_element(By.NAME, "address").get_attribute("value") == member.unit.address
    _type_section(browser, {**answers["cover"], "province": "广东省", "postcode": "5106"})
    submit(browser, "保存并继续")
    wait_text(browser, "[data-field=postcode] .invalid-feedback", "邮政编码为 6 位数字")
    assert browser.find_element(By.NAME, "district").get_attribute("value") == "天河区"
    fill(browser, {"postcode": "510620"})
    submit(browser, "保存并继续")
    wait_text(browser, "h2", "一、医疗机构基本情况")
    _type_section(browser, answers["basic"])
    submit(browser, "保存并继续")

    # 人员情况: the roster, one row typed, 添加一行, a second row.
    wait_text(browser, "h2", "二、医疗机构人员情况")
    _type_section(browser, answers["staff"])
    first, second = answers["staff"]["heads"]
    fill(browser, {f"heads-0-{k}": v for k, v in first.items()})
    submit(browser, "添加一行")
    fill(browser, {f"heads-1-{k}": v for k, v in second.items()})
    submit(browser, "保存并继续")
    wait_text(browser, "h2", "三、医疗机构业务开展情况")
    _type_section(browser, answers["operations"])
    submit(browser, "保存并继续")
    wait_text(browser, "h2", "四、10万元以上医疗仪器设备情况")
    fill(browser, {f"equipment-0-{k}": v for k, v in answers["equipment"]["equipment"][0].items()})
    submit(browser, "保存并继续")
    wait_text(browser, "h2", "五、星级医疗机构创建工作")
    _type_section(browser, answers["narratives"])
    submit(browser, "保存并前往提交")

    # 提交: download the PDF, upload the signed scan, name the handler.
    form = wait_for(browser, "[data-testid=form-pdf]")
    pdf = download(browser, form.get_attribute("href"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    document = programme.documents.get()
    browser.find_element(By.NAME, f"file_{document.pk}").send_keys(temp_file("申报表（盖章）.pdf", pdf_bytes()))
    fill(browser, {"handler_name": "孙经办", "handler_mobile": "13711113333"})
    submit(browser, "提交")
    wait_text(browser, "[data-testid=evaluation-state]", "待受理")
    wait_text(browser, "[data-testid=provincial-pending]", "广东省非公立医疗机构协会初审")
    stored = ApplicationForm.objects.get(evaluation=evaluation).data
    assert [row["name"] for row in stored["staff"]["heads"]] == [first["name"], second["name"]]

    # The provincial association's opinion, then 受理, in the admin.
    login(browser, base, office.mobile)
    browser.get(f"{base}/admin/")
    click(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "待省级协会初审"))
    click(browser, browser.find_element(By.LINK_TEXT, str(evaluation)))
    click(browser, browser.find_element(By.LINK_TEXT, "同意上报"))
    fill(browser, {"reason": "材料属实，同意上报。"})
    submit(browser, "确认同意上报")
    wait_for(browser, ".messagelist .success")
    browser.get(f"{base}/admin/evaluation/evaluation/{evaluation.pk}/change/")
    click(browser, browser.find_element(By.LINK_TEXT, "受理"))
    submit(browser, "确认受理")
    wait_for(browser, ".messagelist .success")

    # 开始评价: 学习标准, then 对照标准上传材料, 保存, 请确认提交.
    login(browser, base, member.user.mobile)
    browser.get(f"{base}/evaluation/{evaluation.pk}/")
    wait_text(browser, "[data-testid=evaluation-state]", "材料上传中")
    notice = wait_for(browser, "[data-testid=acceptance-notice]")
    assert download(browser, notice.get_attribute("href")).content.startswith(b"%PDF")
    click(browser, browser.find_element(By.LINK_TEXT, "学习标准"))
    wait_text(browser, "main", "持有有效的医疗机构执业许可证")
    browser.back()
    click(browser, browser.find_element(By.LINK_TEXT, "对照标准上传材料"))
    items = list(programme.criteria.filter(parent__isnull=False, evidence_required=True).order_by("position", "id"))
    browser.find_element(By.NAME, f"file_{items[0].pk}").send_keys(temp_file("许可证.pdf", pdf_bytes()))
    submit(browser, "保存")
    wait_text(browser, "[data-testid=evidence-progress]", "1 / 3")
    submit(browser, "请确认提交")
    wait_text(browser, ".alert-danger", "还有 1 个须上传佐证的条目没有材料：1.2")
    said = [e for e in browser.find_elements(By.CSS_SELECTOR, ".alert") if "须上传佐证的条目没有材料" in e.text]
    assert len(said) == 1  # the refusal is said once
    browser.find_element(By.NAME, f"file_{items[1].pk}").send_keys(temp_file("组织架构图.png", png_bytes()))
    submit(browser, "请确认提交")
    wait_text(browser, "[data-testid=evaluation-state]", "专家评审")
    assert Evidence.objects.filter(evaluation=evaluation, superseded_at__isnull=True).count() == 2
