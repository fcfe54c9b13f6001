"""Any change to site content makes cached public pages stale.

A signal, not a service call, because editors change content through many admin paths
(forms, inlines, bulk deletes) and a missed path would serve stale pages.
"""
from django.db import transaction


def content_changed(sender, **kwargs):
    from .cache import bump_content_version

    transaction.on_commit(bump_content_version)
