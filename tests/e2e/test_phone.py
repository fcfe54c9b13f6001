"""On a 390×844 phone the signed-in header fits: no sideways scroll, the brand on one line."""
import pytest
from selenium.webdriver.common.by import By

from membership.models import Member
from tests.e2e.helpers import login
from tests.membership.factories import UnitMemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_signed_in_header_fits_a_390px_phone(browser, live_server):
    member = UnitMemberFactory(state=Member.State.ACTIVE, name="杭州某某口腔医院集团城西分院有限公司")
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True})
    login(browser, live_server.url, member.user.mobile)
    for path in ("/member/", "/evaluation/", "/messages/"):
        browser.get(live_server.url + path)
        width = browser.execute_script("return document.documentElement.clientWidth")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width, path
        brand = browser.find_element(By.CSS_SELECTOR, ".brand-name")
        line = float(browser.execute_script("return parseFloat(getComputedStyle(arguments[0]).lineHeight)", brand))
        assert brand.size["height"] <= line * 1.5, f"{path}: the brand wraps ({brand.size['height']}px)"
        user_menu = browser.find_element(By.CSS_SELECTOR, "[data-testid=user-menu]")
        assert user_menu.is_displayed() and user_menu.rect["x"] + user_menu.rect["width"] <= width
