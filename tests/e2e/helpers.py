import tempfile
from pathlib import Path

import requests
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.accounts.factories import PASSWORD


def wait_for(browser, css, timeout=15):
    return WebDriverWait(browser, timeout).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))


def fill(browser, values: dict):
    for name, value in values.items():
        # Prefer Django's id: widgets such as the rich-text editor add inputs of their own.
        matches = [m for m in browser.find_elements(By.ID, f"id_{name}") + browser.find_elements(By.NAME, name)
                   if m.tag_name in ("input", "select", "textarea")]
        field = next((m for m in matches if m.is_displayed()), matches[0])
        if field.get_attribute("type") in ("radio", "checkbox"):
            click(browser, browser.find_element(By.CSS_SELECTOR, f"input[name='{name}'][value='{value}']"))
        elif field.tag_name == "select":
            field.find_element(By.CSS_SELECTOR, f"option[value='{value}']").click()
        elif field.get_attribute("type") == "date":
            browser.execute_script("arguments[0].value = arguments[1]", field, value)
        else:
            field.clear()
            field.send_keys(value)


def click(browser, element):
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    try:
        element.click()
    except Exception:
        browser.save_screenshot("/tmp/e2e-failure.png")
        raise


def submit(browser, text=None):
    if text:
        xpath = f"//button[normalize-space()='{text}'] | //input[@type='submit' and @value='{text}']"
        click(browser, browser.find_element(By.XPATH, xpath))
    else:
        click(browser, browser.find_element(By.CSS_SELECTOR, "form button[type=submit]:not([name=back])"))


def login(browser, base_url, login_name, password=PASSWORD):
    browser.delete_all_cookies()
    browser.get(base_url + "/accounts/login/")
    fill(browser, {"login": login_name, "password": password})
    submit(browser, "登录")
    wait_for(browser, "[data-testid=user-menu]")


def temp_file(name: str, content: bytes) -> str:
    path = Path(tempfile.mkdtemp(prefix="portal-e2e-")) / name
    path.write_bytes(content)
    return str(path)


def download(browser, url: str) -> requests.Response:
    """Fetch a link with the browser's session, as clicking it would."""
    cookies = {c["name"]: c["value"] for c in browser.get_cookies()}
    return requests.get(url, cookies=cookies, timeout=10)


def wait_text(browser, css, text, timeout=15):
    """Wait until the element (on the page the browser is moving to) shows ``text``."""
    try:
        WebDriverWait(browser, timeout, ignored_exceptions=(Exception,)).until(
            EC.text_to_be_present_in_element((By.CSS_SELECTOR, css), text)
        )
    except TimeoutException:
        browser.save_screenshot("/tmp/e2e-failure.png")
        raise AssertionError(f"{text!r} never appeared in {css} at {browser.current_url}") from None
