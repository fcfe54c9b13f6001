import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("account_login")


def _login(client, login, password=PASSWORD, **extra):
    return client.post(LOGIN_URL, {"login": login, "password": password, **extra})


def test_login_by_mobile_signs_the_user_in(client):
    user = UserFactory(mobile="13912345678")
    response = _login(client, "13912345678")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_login_by_email_ignores_case(client):
    user = UserFactory(email="zhang.san@example.cn")
    response = _login(client, "Zhang.San@Example.CN")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_wrong_password_is_refused_with_a_chinese_message_and_keeps_the_login(client):
    UserFactory(mobile="13912345678")
    response = _login(client, "13912345678", password="wrong-password")
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    html = response.content.decode()
    assert "不正确" in html
    assert 'value="13912345678"' in html


def test_login_rate_limit_refuses_even_the_right_password_after_repeated_failures(client):
    UserFactory(mobile="13912345678")
    for _ in range(5):
        assert _login(client, "13912345678", password="wrong-password").status_code == 200
    response = _login(client, "13912345678")
    assert SESSION_KEY not in client.session
    assert response.status_code == 200
    assert "登录失败次数过多" in response.content.decode()


def test_rate_limit_is_per_account_so_another_account_still_signs_in(client):
    UserFactory(mobile="13912345678")
    other = UserFactory(mobile="13912345679")
    for _ in range(5):
        _login(client, "13912345678", password="wrong-password")
    _login(client, "13912345679")
    assert client.session[SESSION_KEY] == str(other.pk)


def test_session_key_is_rotated_at_login(client):
    UserFactory(mobile="13912345678")
    client.get(LOGIN_URL)
    session = client.session
    session["probe"] = "before"
    session.save()
    before = session.session_key
    _login(client, "13912345678")
    assert client.session.session_key != before


def test_disabled_account_cannot_log_in_and_its_open_session_is_refused(client):
    user = UserFactory(mobile="13912345678")
    _login(client, "13912345678")
    assert client.get(reverse("core:inbox")).status_code == 200

    user.is_active = False
    user.save()
    response = client.get(reverse("core:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)

    client.logout()
    _login(client, "13912345678")
    assert SESSION_KEY not in client.session


def test_activity_extends_the_session_but_idleness_ends_it(client, settings):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from core.middleware import SessionIdleTimeoutMiddleware

    UserFactory(mobile="13912345678")
    start = timezone.now()

    def lapse_cache():
        # Sessions are cached in Redis with the idle timeout as their TTL, which runs on the
        # real clock: under travelled time, drop the cached copy as Redis would have, so the
        # database row (and its expiry) decides.
        from django.contrib.sessions.backends.cached_db import KEY_PREFIX
        from django.core.cache import caches

        caches[settings.SESSION_CACHE_ALIAS].delete(KEY_PREFIX + client.cookies[settings.SESSION_COOKIE_NAME].value)

    with time_machine.travel(start, tick=False):
        _login(client, "13912345678")
        client.get(reverse("core:inbox"))
    idle = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    # Active again before the timeout, after the refresh interval: the expiry moves on.
    later = start + idle - dt.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        assert client.get(reverse("core:inbox")).status_code == 200
    assert SessionIdleTimeoutMiddleware.REFRESH < settings.SESSION_COOKIE_AGE
    with time_machine.travel(later + idle - dt.timedelta(minutes=1), tick=False):
        assert client.get(reverse("core:inbox")).status_code == 200
    # Then idle for longer than the timeout: signed out.
    with time_machine.travel(later + 2 * idle + dt.timedelta(minutes=1), tick=False):
        lapse_cache()
        response = client.get(reverse("core:inbox"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN_URL)


def test_admin_login_goes_through_the_rate_limited_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_admin_refuses_a_signed_in_non_staff_user(client):
    UserFactory(mobile="13912345678")
    _login(client, "13912345678")
    assert client.get("/admin/login/").status_code == 403
    assert client.get("/admin/").status_code == 302


def test_staff_user_reaches_the_admin_after_logging_in(client):
    UserFactory(mobile="13912345678", is_staff=True)
    response = client.post(f"{LOGIN_URL}?next=/admin/", {"login": "13912345678", "password": PASSWORD, "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_there_is_no_open_signup(client):
    response = client.post(reverse("account_signup"), {
        "username": "13912345678", "email": "a@example.cn", "password1": "x-Strong-pass-1", "password2": "x-Strong-pass-1",
    })
    assert not UserFactory._meta.model.objects.filter(mobile="13912345678").exists()
    assert response.status_code == 200


def test_password_reset_does_not_reveal_whether_an_account_exists(client, mailoutbox):
    UserFactory(email="known@example.cn")
    known = client.post(reverse("account_reset_password"), {"email": "known@example.cn"})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.cn"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    reset_mail = [m for m in mailoutbox if m.to == ["known@example.cn"]]
    assert len(reset_mail) == 1
    assert "/accounts/password/reset/key/" in reset_mail[0].body


def test_password_change_requires_the_old_password(client):
    user = UserFactory(mobile="13912345678")
    _login(client, "13912345678")
    url = reverse("account_change_password")
    bad = client.post(url, {"oldpassword": "nope", "password1": "new-Secret-2026", "password2": "new-Secret-2026"})
    assert bad.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    good = client.post(url, {"oldpassword": PASSWORD, "password1": "new-Secret-2026", "password2": "new-Secret-2026"})
    assert good.status_code == 302
    user.refresh_from_db()
    assert user.check_password("new-Secret-2026")


def test_email_is_unique_regardless_of_case(db):
    from django.db import IntegrityError

    UserFactory(email="same@example.cn")
    with pytest.raises(IntegrityError):
        UserFactory(email="SAME@example.cn")


def test_mobile_format_is_validated():
    from django.core.exceptions import ValidationError

    from accounts.validators import validate_mobile

    validate_mobile("13912345678")
    for bad in ("1391234567", "23912345678", "139123456789", "1391234567a", ""):
        with pytest.raises(ValidationError):
            validate_mobile(bad)


def test_behind_the_proxy_the_per_address_limit_keys_on_the_client_not_the_proxy(client, settings):
    """nginx (one trusted proxy) appends the client to X-Forwarded-For; twenty bad attempts
    from one client lock that client out, not everyone behind the proxy."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    UserFactory(mobile="13912345678")
    for n in range(25):
        client.post(LOGIN_URL, {"login": f"1390000{n:04d}", "password": "wrong"},
                    REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    locked = client.post(LOGIN_URL, {"login": "13912345678", "password": PASSWORD},
                         REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert SESSION_KEY not in client.session and locked.status_code in (200, 429)
    other = client.post(LOGIN_URL, {"login": "13912345678", "password": PASSWORD},
                        REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert other.status_code == 302 and SESSION_KEY in client.session


@pytest.mark.parametrize("who", ["staff", "expert", "member", "nobody"])
def test_each_person_lands_where_their_work_is_after_signing_in(client, who):
    from experts.pool.tests.helpers import appointed
    from tests.membership.factories import UnitMemberFactory

    if who == "staff":
        user, landing = UserFactory(mobile="13912340001", is_staff=True), "/admin/"
    elif who == "expert":
        user, landing = appointed().user, reverse("experts:workbench")
    elif who == "member":
        user, landing = UnitMemberFactory(state="active").user, reverse("membership:centre")
    else:
        user, landing = UserFactory(mobile="13912340002"), reverse("portal:home")
    response = _login(client, user.mobile)
    assert response.status_code == 302 and response["Location"] == landing
    # An address to go back to still wins.
    client.logout()
    response = client.post(LOGIN_URL + "?next=/evaluation/registry/", {"login": user.mobile, "password": PASSWORD})
    assert response["Location"] == "/evaluation/registry/"
