"""WeChat sign-in (微信登录) through django-allauth, for existing accounts only: a person binds
WeChat to their account once, while signed in; afterwards WeChat signs them in. Two ways in,
each on when its keys are given: the QR code on a desktop browser (微信开放平台 · 网站应用, allauth's
"weixin" provider) and the official account's page inside WeChat on a phone (公众号, the
"weixin_mp" provider in accounts/weixin_mp). Both apps under one 微信开放平台 account give the
same unionid, which links a binding made one way to sign-ins the other way."""

QR_AUTHORIZE_URL = "https://open.weixin.qq.com/connect/qrconnect"


def wechat_login(*, website: tuple[str, str] | None = None, official_account: tuple[str, str] | None = None) -> dict:
    """The settings that turn it on: ``website`` and ``official_account`` are (app id, secret)."""
    apps, providers = ["allauth.socialaccount"], {}
    if website:
        apps.append("allauth.socialaccount.providers.weixin")
        providers["weixin"] = {"APPS": [{"client_id": website[0], "secret": website[1]}],
                               "AUTHORIZE_URL": QR_AUTHORIZE_URL, "SCOPE": ["snsapi_login"]}
    if official_account:
        apps.append("accounts.weixin_mp")
        providers["weixin_mp"] = {"APPS": [{"client_id": official_account[0], "secret": official_account[1]}],
                                  "SCOPE": ["snsapi_userinfo"]}
    return {
        "WECHAT_LOGIN": bool(providers),
        "WECHAT_LOGIN_PROVIDERS": list(providers),
        "WECHAT_APPS": apps if providers else [],
        "SOCIALACCOUNT_ADAPTER": "accounts.social.SocialAccountAdapter",
        "SOCIALACCOUNT_PROVIDERS": providers,
        "SOCIALACCOUNT_AUTO_SIGNUP": False,
        "SOCIALACCOUNT_LOGIN_ON_GET": False,  # starting a sign-in or a binding is a POST
        "SOCIALACCOUNT_STORE_TOKENS": False,  # the portal needs who, not WeChat's tokens
    }
