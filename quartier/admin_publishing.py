"""The admin's "publish" and "unpublish" actions, for every model built on ``Publishable``.

An admin adds the mixin and says, in its own words, what the message counts::

    class ProjectAdmin(PublishActionsMixin, admin.ModelAdmin):
        published_message = ngettext_lazy(
            "%(count)d project published.", "%(count)d projects published.", "count"
        )
        unpublished_message = ngettext_lazy(...)

Only editors with the change permission are offered the actions. The model's queryset
decides what publishing means (``publish()``, ``unpublish()``); the message counts the rows
that changed, not those selected.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _


class PublishActionsMixin:
    """ "Publish" and "unpublish" for the selected rows, with a message that counts them."""

    actions = ["publish", "unpublish"]
    published_message: str  # ngettext_lazy(..., "count")
    unpublished_message: str

    @admin.action(description=_("Publish selected %(verbose_name_plural)s"), permissions=["change"])
    def publish(self, request, queryset):
        changed = queryset.publish()
        self.message_user(request, self.published_message % {"count": changed}, messages.SUCCESS)

    @admin.action(
        description=_("Unpublish selected %(verbose_name_plural)s"), permissions=["change"]
    )
    def unpublish(self, request, queryset):
        changed = queryset.unpublish()
        self.message_user(request, self.unpublished_message % {"count": changed}, messages.SUCCESS)
