from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from taggit.admin import TagAdmin
from taggit.models import Tag

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


admin.site.unregister(Tag)


@admin.register(Tag)
class TopicAdmin(TagAdmin):
    """The topics of actors, events and projects ("Themen", see quartier/topics.py): editors
    rename them, merge spellings, and see how often each is used."""

    # taggit's inline lists every tagged object as a form of content type and number.
    inlines = []
    list_display = ["name", "slug", "use_count"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(use_count=Count("taggit_taggeditem_items"))

    @admin.display(description=_("used"), ordering="use_count")
    def use_count(self, tag):
        return tag.use_count

    @admin.action(description=_("Merge selected topics"))
    def render_tag_form(self, request, queryset):
        return super().render_tag_form(request, queryset)
