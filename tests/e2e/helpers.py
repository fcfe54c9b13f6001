import tempfile
import time
from pathlib import Path

import requests
from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
    TimeoutException,
    WebDriverException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.accounts.factories import PASSWORD


def wait_for(browser, css, timeout=15):
    return WebDriverWait(browser, timeout).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))


def fill(browser, values: dict):
    settle(browser)
    for name, value in values.items():
        _retrying(lambda name=name, value=value: _fill_one(browser, name, value))


# One round trip finds the field and says what it is (a page of sixty-four scores is filled
# field by field, and every WebDriver command is a round trip). Django's id is preferred:
# widgets such as the rich-text editor add inputs of their own.
_FIND_FIELD = """
const name = arguments[0];
const found = [document.getElementById('id_' + name), ...document.getElementsByName(name)]
  .filter(e => e && ['INPUT', 'SELECT', 'TEXTAREA'].includes(e.tagName));
if (!found.length) return null;
const field = found.find(e => e.getClientRects().length > 0) || found[0];
return [field, field.tagName.toLowerCase(), (field.getAttribute('type') || '').toLowerCase()];
"""


def _fill_one(browser, name, value):
    found = browser.execute_script(_FIND_FIELD, name)
    if found is None:
        raise NoSuchElementException(f"no field {name!r} on {browser.current_url}")
    field, tag, kind = found
    if kind in ("radio", "checkbox"):
        click(browser, browser.find_element(By.CSS_SELECTOR, f"input[name='{name}'][value='{value}']"))
    elif tag == "select":
        field.find_element(By.CSS_SELECTOR, f"option[value='{value}']").click()
    elif kind in ("date", "month", "datetime-local"):
        browser.execute_script("arguments[0].value = arguments[1]", field, value)
    else:
        field.clear()
        field.send_keys(value)


def click(browser, element, navigates=None):
    """Click like a person; for links and submit buttons, wait until the next page replaced this
    one, so the next lookup cannot find an element of the old page."""
    navigates = element.tag_name == "a" or element.get_attribute("type") == "submit" if navigates is None else navigates
    page = browser.find_element(By.TAG_NAME, "html") if navigates else None
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    try:
        element.click()
        if page is not None:
            WebDriverWait(browser, 20).until(_replaced(page))
            settle(browser)
    except Exception:
        browser.save_screenshot("/tmp/e2e-failure.png")
        raise


def _replaced(element):
    """Like EC.staleness_of, also when Chromium says the node left the document."""
    def check(_):
        try:
            element.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:
            if "does not belong to the document" in str(exc):
                return True
            raise
        return False
    return check


def settle(browser):
    """Wait until the current page has finished loading."""
    WebDriverWait(browser, 20).until(lambda b: b.execute_script("return document.readyState") == "complete")


def _retrying(action, attempts=3):
    """Run a lookup-and-act again when the page changed under it (a late redirect, a reload)."""
    for attempt in range(attempts):
        try:
            return action()
        except (StaleElementReferenceException, WebDriverException) as exc:
            if attempt == attempts - 1 or not (isinstance(exc, StaleElementReferenceException)
                                               or "does not belong to the document" in str(exc)):
                raise
            time.sleep(0.5)


def submit(browser, text=None):
    try:
        _submit(browser, text)
    except Exception:
        browser.save_screenshot("/tmp/e2e-failure.png")
        Path("/tmp/e2e-failure.html").write_text(browser.page_source)
        raise


def _submit(browser, text):
    settle(browser)
    if text:
        xpath = f"//button[normalize-space()='{text}'] | //input[@type='submit' and @value='{text}']"
        button = _retrying(lambda: browser.find_element(By.XPATH, xpath))
    else:
        button = _retrying(lambda: browser.find_element(By.CSS_SELECTOR, "form button[type=submit]:not([name=back])"))
    click(browser, button)  # once: a retried click could submit twice


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


def eventually(read, expected, timeout=20):
    """Wait until ``read()`` returns ``expected`` (work the site finishes after the response,
    such as an invoice issued by a background task); returns the last value read."""
    deadline = time.monotonic() + timeout
    value = read()
    while value != expected and time.monotonic() < deadline:
        time.sleep(0.3)
        value = read()
    return value


def wait_for_on_reload(browser, css, timeout=30):
    """Refresh the page, as its "请稍后刷新" asks, until ``css`` is on it (a file that a
    background task makes after the payment); returns the element."""
    deadline = time.monotonic() + timeout
    while not (found := browser.find_elements(By.CSS_SELECTOR, css)):
        if time.monotonic() > deadline:
            raise TimeoutException(f"{css} not on the page after {timeout} s of refreshing")
        time.sleep(1)
        browser.refresh()
        settle(browser)
    return found[0]
