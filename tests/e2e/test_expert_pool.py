"""A person applies to the expert pool, the office approves in the admin, the appointment
letter (聘书) downloads as a PDF and the check its QR code encodes confirms it publicly."""
import re
from io import BytesIO

import pytest
from dateutil.relativedelta import relativedelta
from django.test import override_settings
from django.utils import timezone
from pypdf import PdfReader
from selenium.webdriver.common.by import By

from core import sms
from experts.models import Expert
from experts.pool import services as pool
from tests.core.files import pdf_bytes
from tests.e2e.helpers import click, download, fill, login, submit, temp_file, wait_for, wait_text
from tests.evaluation.helpers import office as office_user
from tests.membership.factories import id_number

pytestmark = pytest.mark.django_db(transaction=True)


def test_apply_approve_download_the_letter_and_check_it(browser, live_server):
    office = office_user()
    with override_settings(SITE_URL=live_server.url):
        # The home page's 专家工作台 entrance leads a visitor to the application.
        browser.get(live_server.url + "/")
        click(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "专家工作台"))
        click(browser, browser.find_element(By.LINK_TEXT, "申请加入评价专家库"))
        wait_for(browser, "#expert-apply")
        # The mobile first: 获取验证码, and the code her phone receives.
        fill(browser, {"mobile": "13688880001"})
        submit(browser, "获取验证码")
        wait_text(browser, "[data-testid=sms-notice]", "验证码已发送")
        code = re.search(r"验证码为 (\d{6})", sms.outbox[-1][1])[1]
        since = (timezone.localdate() - relativedelta(years=2)).isoformat()
        fill(browser, {"name": "郑华", "gender": "female", "id_number": id_number(7300), "code": code,
                       "email": "zheng@example.cn", "employer_name": "南京某口腔医院", "province": "江苏",
                       "specialty": "nursing", "title": "associate", "title_since": since, "specialty_years": "12",
                       "management_years": "1", "education": "硕士研究生", "cv": "口腔护理管理十二年。",
                       "password1": "Zheng-Hua-2026!", "password2": "Zheng-Hua-2026!"})
        # The check as she types: the title held only two years is named before she submits.
        wait_text(browser, "#qualification-check", "受聘满 3 年")
        fill(browser, {"title_since": (timezone.localdate() - relativedelta(years=4)).isoformat()})
        browser.find_element(By.NAME, "specialty_years").send_keys("")
        wait_text(browser, "#qualification-check", "符合第九条")
        browser.find_element(By.NAME, "consent_letter").send_keys(temp_file("单位同意函.pdf", pdf_bytes()))
        submit(browser, "提交申请")
        wait_text(browser, "[data-testid=expert-state]", "待审核")
        expert = Expert.objects.get(name="郑华")

        # The office approves in the admin.
        login(browser, live_server.url, office.mobile)
        browser.get(f"{live_server.url}/admin/experts/expert/{expert.pk}/change/")
        click(browser, browser.find_element(By.LINK_TEXT, "审核通过（聘任）"))
        submit(browser, "确认审核通过（聘任）")
        wait_for(browser, ".messagelist .success")

        # Celery made the letter (eagerly here); she downloads it from her workbench.
        login(browser, live_server.url, "13688880001", "Zheng-Hua-2026!")
        browser.get(live_server.url + "/workbench/")
        wait_text(browser, "[data-testid=expert-state]", "在聘")
        link = browser.find_element(By.CSS_SELECTOR, "[data-testid=letter]")
        response = download(browser, link.get_attribute("href"))
        assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
        text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
        number = expert.appointments.get().number
        assert "聘" in text and number in text and "郑华" in text

        # The QR code encodes the public certificate check for that number, which confirms it.
        browser.delete_all_cookies()
        browser.get(pool.letter_check_url(number))
        wait_text(browser, "[data-testid=certificate-result]", "评价专家聘书")
        wait_text(browser, "[data-testid=certificate-result]", "有效")
