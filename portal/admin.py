from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from solo.admin import SingletonModelAdmin

from .models import Article, ArticleAttachment, Column, FriendlyLink, MenuItem, SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(SingletonModelAdmin):
    pass


@admin.register(Column)
class ColumnAdmin(admin.ModelAdmin):
    list_display = ("name", "parent", "slug_code", "kind", "position", "show_in_nav", "show_on_home")
    list_editable = ("position", "show_in_nav", "show_on_home")
    list_filter = ("kind", "parent")
    search_fields = ("name", "slug")

    @admin.display(description="网址标识", ordering="slug")
    def slug_code(self, obj):
        return format_html("<code>{}</code>", obj.slug)


class AttachmentInline(admin.TabularInline):
    model = ArticleAttachment
    extra = 1
    fields = ("name", "file", "position")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "column", "status", "pinned", "publish_at", "preview_link")
    list_filter = ("status", "pinned", "column")
    search_fields = ("title", "summary")
    list_select_related = ("column",)
    date_hierarchy = "publish_at"
    inlines = [AttachmentInline]
    fields = ("column", "title", "summary", "body", "cover", "author", "publish_at", "status", "pinned")
    actions = ["publish", "unpublish"]

    @admin.display(description="预览")
    def preview_link(self, obj):
        return format_html('<a href="{}?preview=1" target="_blank" rel="noopener">预览</a>',
                           reverse("portal:article", args=[obj.pk]))

    def view_on_site(self, obj):
        # Drafts are invisible to the public; editors preview them through the same page.
        return reverse("portal:article", args=[obj.pk]) + "?preview=1"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="发布所选文章", permissions=["change"])
    def publish(self, request, queryset):
        for article in queryset:  # one by one: each save is sanitised and invalidates the cache
            article.status = Article.Status.PUBLISHED
            article.save()

    @admin.action(description="撤回为草稿", permissions=["change"])
    def unpublish(self, request, queryset):
        for article in queryset:
            article.status = Article.Status.DRAFT
            article.save()


# Links typed without a scheme are taken as https (Django 6's default).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(MenuItem)
class MenuItemAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ("title", "position", "target", "is_active")
    list_editable = ("position", "is_active")
    autocomplete_fields = ("article",)

    @admin.display(description="链接")
    def target(self, obj):
        return obj.get_url()


@admin.register(FriendlyLink)
class FriendlyLinkAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ("name", "url", "position")
    list_editable = ("position",)
