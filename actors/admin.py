from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Actor, Sector


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "position", "actor_count"]
    list_editable = ["position"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}

    class Media:
        js = ["js/admin-german-slugs.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(actor_count=Count("actors"))

    @admin.display(description=_("actors"), ordering="actor_count")
    def actor_count(self, sector):
        return sector.actor_count


class MemberInline(admin.TabularInline):
    """The organisations that belong to a group or network."""

    model = Actor
    fk_name = "parent"
    fields = ["name", "slug", "sector", "city", "is_published"]
    prepopulated_fields = {"slug": ["name"]}
    extra = 0
    show_change_link = True
    verbose_name = _("member")
    verbose_name_plural = _("members of this group or network")


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "sector", "role", "parent", "city", "is_published"]
    list_display_links = ["name"]
    list_filter = ["is_published", "role", "sector", ("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["sector", "parent"]
    search_fields = ["name", "short_name", "city", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [MemberInline]
    actions = ["publish", "unpublish"]
    save_on_top = True
    # Editors type "www.example.org"; Django 6 will assume https, and so do we already.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "is_published"]}),
        (
            _("Place in the initiative"),
            {"fields": ["role", "sector", "parent", "joined_on", "topics"]},
        ),
        (_("Profile"), {"fields": ["description", "mission", "city", "website"]}),
        (_("Logo"), {"fields": ["logo", "logo_alt_text", "logo_credit", "logo_licence"]}),
    ]

    class Media:
        js = ["js/admin-german-slugs.js"]

    @admin.action(description=_("Publish selected actors"), permissions=["change"])
    def publish(self, request, queryset):
        updated = queryset.update(is_published=True)
        self.message_user(
            request,
            ngettext("%(count)d actor published.", "%(count)d actors published.", updated)
            % {"count": updated},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish selected actors"), permissions=["change"])
    def unpublish(self, request, queryset):
        updated = queryset.update(is_published=False)
        self.message_user(
            request,
            ngettext("%(count)d actor unpublished.", "%(count)d actors unpublished.", updated)
            % {"count": updated},
            messages.SUCCESS,
        )
