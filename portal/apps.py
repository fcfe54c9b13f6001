from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "门户网站"
    role_permissions = {
        "site_editor": [
            f"portal.{action}_{model}"
            for model in ("column", "article", "articleattachment", "menuitem", "friendlylink")
            for action in ("view", "add", "change", "delete")
        ] + ["portal.view_sitesettings", "portal.change_sitesettings"],
    }

    def ready(self):
        from core.downloads import register_downloadable
        from core.fragments import layout_input

        from . import signals
        from .cache import VERSION_KEY, content_version
        from .models import Article, ArticleAttachment, Column, FriendlyLink, MenuItem, SiteSettings

        for model in (Article, ArticleAttachment, Column, FriendlyLink, MenuItem, SiteSettings):
            post_save.connect(signals.content_changed, sender=model, dispatch_uid=f"portal-save-{model.__name__}")
            post_delete.connect(signals.content_changed, sender=model, dispatch_uid=f"portal-del-{model.__name__}")
        # Menus and site settings come from a cache versioned by every editor's save.
        layout_input(lambda request: content_version(), cache_key=lambda request: VERSION_KEY)
        register_downloadable(Article, ["cover"])
        register_downloadable(ArticleAttachment, ["file"])
        register_downloadable(FriendlyLink, ["logo"])
