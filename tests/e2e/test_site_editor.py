import pytest
from django.contrib.auth.models import Group
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.accounts.factories import UserFactory
from tests.e2e.helpers import click, fill, login, submit, wait_for, wait_text

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_site_editor_creates_a_column_and_an_article_and_sees_it_on_the_home_page(browser, live_server):
    editor = UserFactory(mobile="13800009100", is_staff=True, name="网站编辑陈老师")
    editor.groups.add(Group.objects.get(name="网站编辑"))
    browser.get(live_server.url + "/")  # cached for visitors before the change
    login(browser, live_server.url, editor.mobile)

    browser.get(live_server.url + "/admin/portal/column/add/")
    fill(browser, {"name": "党建工作", "slug": "party", "position": "1"})
    submit(browser, "保存")
    wait_for(browser, ".messagelist .success")

    browser.get(live_server.url + "/admin/portal/article/add/")
    Select(browser.find_element(By.NAME, "column")).select_by_visible_text("党建工作")
    fill(browser, {"title": "口腔分会党支部开展主题党日活动", "summary": "学习贯彻会议精神"})
    # The rich-text editor is ProseMirror from the installed package, running under our CSP.
    editor_area = wait_for(browser, ".ProseMirror[contenteditable='true']")
    click(browser, editor_area)
    editor_area.send_keys("全体党员参加了学习。")
    Select(browser.find_element(By.NAME, "status")).select_by_value("published")
    submit(browser, "保存")
    wait_for(browser, ".messagelist .success")

    browser.delete_all_cookies()  # a visitor again
    browser.get(live_server.url + "/")
    wait_text(browser, "main", "党建工作")
    assert "口腔分会党支部开展主题党日活动" in browser.find_element(By.TAG_NAME, "main").text
    click(browser, browser.find_element(By.LINK_TEXT, "口腔分会党支部开展主题党日活动"))
    wait_text(browser, ".article-body", "全体党员参加了学习。")
