from django.apps import AppConfig


class WeixinMpConfig(AppConfig):
    name = "accounts.weixin_mp"
    label = "weixin_mp"
    verbose_name = "微信公众号登录"
