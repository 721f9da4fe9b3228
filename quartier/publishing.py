"""What the public sees only once staff publish it, and who may look at it before.

Actors, events, projects and publications are drafts until an editor publishes them. The
model says what "published" means (``Publishable``), its queryset is the one place the rule
is written (``published()``, ``drafts()``), and the detail pages let editors preview a draft
(``DraftPreviewMixin``) under the same permission that lets them see it in the admin
(``may_preview``).
"""

from django.contrib.auth import get_permission_codename
from django.db import models
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

from quartier.content_version import changed_in_bulk


class PublishableQuerySet(models.QuerySet):
    """The verbs every publishable model has; the admin's actions and the pages use them."""

    def published(self):
        """What the public may see."""
        return self.filter(is_published=True)

    def drafts(self):
        return self.filter(is_published=False)

    def publish(self) -> int:
        """Publish the drafts among these rows; the number of rows that changed."""
        return changed_in_bulk(self.drafts().update(is_published=True))

    def unpublish(self) -> int:
        """Take the published among these rows back to drafts; the number that changed."""
        return changed_in_bulk(self.published().update(is_published=False))


class Publishable(models.Model):
    """Something the public sees once it is published; until then only editors see the draft.

    A model whose publication follows from other fields (an event's status) replaces the flag
    by a property of the same name and the queryset's verbs by its own.
    """

    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Only what is published is shown to the public; editors see drafts."),
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True


def may_preview(user, model: type[models.Model]) -> bool:
    """Whether ``user`` may see drafts of ``model`` outside the admin.

    The same rule as in the admin: staff with the model's view permission. Being staff is not
    enough; an editor who looks after events need not see unpublished actors.
    """
    opts = model._meta
    codename = get_permission_codename("view", opts)
    return user.is_staff and user.has_perm(f"{opts.app_label}.{codename}")


class DraftPreviewMixin:
    """For the detail view of a publishable model: drafts are found only by editors.

    The public gets 404 for a draft. An editor allowed by ``may_preview`` sees it with
    ``draft_notice`` (shown by ``includes/draft_notice.html``), in a response that no cache
    keeps: a shared cache must never hand a draft to the next visitor.
    """

    draft_notice = _("Draft: this page is not published and only visible to editors.")

    def get_queryset(self):
        queryset = super().get_queryset()
        if may_preview(self.request.user, queryset.model):
            return queryset
        return queryset.published()

    def shows_draft(self) -> bool:
        """Whether the page shows something unpublished; a view may add what it shows besides."""
        return not self.object.is_published

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.object.is_published:
            context["draft_notice"] = self.draft_notice
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.shows_draft():
            patch_cache_control(response, private=True, no_store=True)
        return response
