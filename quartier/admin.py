from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from taggit.admin import TagAdmin
from taggit.models import Tag

from . import versions  # noqa: F401  (registers the models before their admins do)
from .admin_history import ChangeMessageMixin, HistoryAdmin
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
class PortalSettingsAdmin(ChangeMessageMixin, admin.ModelAdmin):
    """Exactly one row: it can be changed, not added twice or deleted."""

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not PortalSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class AccountAdmin(ChangeMessageMixin, UserAdmin):
    """Accounts, which the role "Verwaltung" looks after too.

    What would make someone more than their role stays with the administrators: superuser
    status, single permissions, and the accounts of administrators themselves.
    """

    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "is_staff",
        "is_active",
        "last_login",
    ]
    date_hierarchy = "date_joined"
    administrator_fields = ["is_superuser", "user_permissions"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += self.administrator_fields
        return readonly

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)


admin.site.unregister(Tag)


@admin.register(Tag)
class TopicAdmin(ChangeMessageMixin, TagAdmin):
    """The topics of actors, events and projects ("Themen", see quartier/topics.py): editors
    rename them and see how often each is used.

    taggit's "merge" action is left out: merging into one of the selected tags deletes that
    tag from the objects that carry it, and its page speaks English.
    """

    # taggit's inline lists every tagged object as a form of content type and number.
    inlines = []
    actions = []
    list_display = ["name", "slug", "use_count"]

    def get_urls(self):
        return admin.ModelAdmin.get_urls(self)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(use_count=Count("taggit_taggeditem_items"))

    @admin.display(description=_("used"), ordering="use_count")
    def use_count(self, tag):
        return tag.use_count


admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class SecondFactorAdmin(ChangeMessageMixin, AuthenticatorAdmin):
    """Second factors of accounts: an administrator may see that one exists and remove a lost one
    (its owner then sets up a new one), but never read its secret (a TOTP key, recovery codes)
    nor make one for somebody else."""

    exclude = ("data",)
    readonly_fields = ("user", "type", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
