from django.contrib import admin

from . import versions  # noqa: F401  (registers the models before their admins do)
from .admin_history import HistoryAdmin
from .models import Page, PortalSettings


@admin.register(Page)
class PageAdmin(HistoryAdmin, admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at"]
    readonly_fields = ["updated_at"]
    fields = ["slug", "title", "body", "title_en", "body_en", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # The address of an existing page is fixed by the site's URLs.
        return [*self.readonly_fields, "slug"] if obj else self.readonly_fields


@admin.register(PortalSettings)
class PortalSettingsAdmin(admin.ModelAdmin):
    """Exactly one row: it can be changed, not added twice or deleted."""

    def has_add_permission(self, request):
        return not PortalSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
