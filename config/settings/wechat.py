"""WeChat sign-in (微信登录) through django-allauth's WeChat provider, for existing accounts only:
a person binds WeChat to their account once, while signed in; afterwards scanning signs them in.
Off unless the website application's keys (微信开放平台 · 网站应用) are given."""


def wechat_login(*, app_id: str, secret: str, authorize_url: str) -> dict:
    """The settings that turn it on (the apps to add and allauth's configuration)."""
    return {
        "WECHAT_LOGIN": True,
        "WECHAT_APPS": ["allauth.socialaccount", "allauth.socialaccount.providers.weixin"],
        "SOCIALACCOUNT_ADAPTER": "accounts.social.SocialAccountAdapter",
        "SOCIALACCOUNT_PROVIDERS": {"weixin": {
            "APPS": [{"client_id": app_id, "secret": secret}],
            "AUTHORIZE_URL": authorize_url,  # qrconnect: the QR code page for desktop browsers
            "SCOPE": ["snsapi_login"],
        }},
        "SOCIALACCOUNT_AUTO_SIGNUP": False,
        "SOCIALACCOUNT_LOGIN_ON_GET": False,  # starting a sign-in or a binding is a POST
        "SOCIALACCOUNT_STORE_TOKENS": False,  # the portal needs who, not WeChat's tokens
    }
