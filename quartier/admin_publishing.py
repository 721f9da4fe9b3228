"""The admin's "publish" and "unpublish" actions, for every model built on ``Publishable``.

An admin adds the mixin and says, in its own words, what the message counts::

    class ProjectAdmin(PublishActionsMixin, admin.ModelAdmin):
        published_message = ngettext_lazy(
            "%(count)d project published.", "%(count)d projects published.", "count"
        )
        unpublished_message = ngettext_lazy(...)

Only editors with the change permission are offered the actions. The model's queryset
decides what publishing means (``publish()``, ``unpublish()``); the message counts the rows
that changed, not those selected. Each row that changed gets an entry in its history, with
the editor, as a save does (``quartier.admin_history.log_list_action``).
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .admin_history import log_list_action


class PublishActionsMixin:
    """ "Publish" and "unpublish" for the selected rows, with a message that counts them."""

    actions = ["publish", "unpublish"]
    published_message: str  # ngettext_lazy(..., "count")
    unpublished_message: str

    @admin.action(description=_("Publish selected %(verbose_name_plural)s"), permissions=["change"])
    def publish(self, request, queryset):
        drafts = list(queryset.drafts().values_list("pk", flat=True))
        changed = queryset.publish()
        # The drafts that are drafts no more: published() may ask for more than the flag (an
        # offer is public only while its actor is).
        manager = queryset.model._default_manager
        published = manager.filter(pk__in=drafts).exclude(pk__in=manager.drafts().values("pk"))
        log_list_action(self, request, published, _("Published through the list action."))
        self.message_user(request, self.published_message % {"count": changed}, messages.SUCCESS)

    @admin.action(
        description=_("Unpublish selected %(verbose_name_plural)s"), permissions=["change"]
    )
    def unpublish(self, request, queryset):
        published = list(
            queryset.exclude(pk__in=queryset.drafts().values("pk")).values_list("pk", flat=True)
        )
        changed = queryset.unpublish()
        drafts = queryset.model._default_manager.filter(pk__in=published).drafts()
        log_list_action(self, request, drafts, _("Unpublished through the list action."))
        self.message_user(request, self.unpublished_message % {"count": changed}, messages.SUCCESS)
