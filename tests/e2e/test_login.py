import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_logs_in_with_mobile_and_password_and_logs_out(browser, live_server):
    UserFactory(mobile="13912345678", name="北京某某口腔门诊部")
    browser.get(live_server.url + "/")
    browser.find_element(By.LINK_TEXT, "登录").click()

    browser.find_element(By.NAME, "login").send_keys("13912345678")
    browser.find_element(By.NAME, "password").send_keys("wrong-password")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert "不正确" in browser.find_element(By.CSS_SELECTOR, ".alert-danger").text
    assert browser.find_element(By.NAME, "login").get_attribute("value") == "13912345678"

    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    menu = WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=user-menu]")))
    assert menu.text == "北京某某口腔门诊部"

    menu.click()  # Bootstrap's dropdown needs its JavaScript: this proves the packaged bundle loaded
    WebDriverWait(browser, 5).until(EC.visibility_of_element_located((By.XPATH, "//button[text()='退出登录']"))).click()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.LINK_TEXT, "登录")))
