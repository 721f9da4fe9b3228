"""Staff's review of the changes that contacts propose to their organisations' profiles.

The list shows the pending proposals first; a proposal's page is a field-by-field diff against
the actor as it is now, with two buttons for those who may decide ("Übernehmen", "Zurückgeben"
with a note). Nobody edits a proposal in the admin: it is the contact's text.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from quartier.admin_history import ChangeMessageMixin

from .models import ActorContact, ProfileProposal
from .proposals import (
    proposal_accept,
    proposal_changes,
    proposal_entry_changes,
    proposal_return,
)

DECIDE_PERMISSION = "actors.decide_profileproposal"


class ReturnForm(forms.Form):
    staff_note = forms.CharField(
        label=_("Note to the contact"),
        max_length=ProfileProposal._meta.get_field("staff_note").max_length,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("Required: what should the contact change? It is e-mailed to them."),
        error_messages={"required": _("Please tell the contact in a note what to change.")},
    )


@admin.register(ProfileProposal)
class ProfileProposalAdmin(ChangeMessageMixin, admin.ModelAdmin):
    list_display = ["actor", "status", "proposer", "created_at", "updated_at", "decided_at"]
    list_filter = ["status", "actor__is_published", "actor__sector"]
    search_fields = ["actor__name"]
    list_select_related = ["actor", "proposed_by"]
    date_hierarchy = "created_at"

    def get_ordering(self, request):
        # Pending ones first, the longest waiting at the top; then the latest decisions.
        queue_position = Case(
            When(status=ProfileProposal.Status.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return [queue_position.asc(), "-decided_at", "created_at", "pk"]

    @admin.display(description=_("proposed by"), ordering="proposed_by__email")
    def proposer(self, proposal):
        person = proposal.proposed_by
        return (person.get_full_name() or person.email) if person else "–"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The proposal is the contact's text; staff decide on it, they do not edit it.
        return False

    def has_decide_permission(self, request) -> bool:
        return request.user.has_perm(DECIDE_PERMISSION)

    def get_urls(self):
        info = (self.opts.app_label, self.opts.model_name)
        return [
            path(
                "<path:object_id>/entscheiden/",
                self.admin_site.admin_view(self.decide_view),
                name="{}_{}_decide".format(*info),
            ),
            *super().get_urls(),
        ]

    def _proposal(self, request, object_id) -> ProfileProposal:
        if not self.has_view_permission(request):
            raise PermissionDenied
        proposal = (
            ProfileProposal.objects.select_related("actor", "proposed_by", "decided_by")
            .filter(pk=unquote(object_id) if str(object_id).isdigit() else None)
            .first()
        )
        if proposal is None:
            raise Http404
        return proposal

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        proposal = self._proposal(request, object_id)
        return self._review(request, proposal, ReturnForm())

    def _review(self, request, proposal, return_form, status=200):
        actor = proposal.actor
        topics = sorted((tag.name for tag in actor.topics.all()), key=str.casefold)
        former_contact = (
            proposal.proposed_by_id is not None
            and not ActorContact.objects.filter(
                actor=actor, user_id=proposal.proposed_by_id
            ).exists()
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Proposed change to %(actor)s") % {"actor": actor.name},
            "opts": self.opts,
            "object": proposal,
            "proposal": proposal,
            "actor": actor,
            "changes": proposal_changes(proposal, topics=topics),
            "entry_changes": proposal_entry_changes(proposal),
            "is_stale": proposal.is_stale,
            "former_contact": former_contact,
            "may_decide": proposal.is_pending and self.has_decide_permission(request),
            "return_form": return_form,
            "decide_url": reverse(
                f"{self.admin_site.name}:actors_profileproposal_decide", args=[proposal.pk]
            ),
            "actor_url": reverse(f"{self.admin_site.name}:actors_actor_change", args=[actor.pk]),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request, "admin/actors/profileproposal/review.html", context, status=status
        )

    @staticmethod
    def _changelist_url(name: str) -> str:
        return reverse(f"{name}:actors_profileproposal_changelist")

    def decide_view(self, request, object_id):
        return require_POST(self._decide)(request, object_id)

    def _decide(self, request, object_id):
        proposal = self._proposal(request, object_id)
        if not self.has_decide_permission(request):
            raise PermissionDenied
        actor_admin = self.admin_site._registry.get(type(proposal.actor))
        try:
            if "_accept" in request.POST:
                actor = proposal_accept(proposal=proposal, reviewer=request.user)
                if actor_admin is not None:
                    actor_admin.log_change(request, actor, str(_("Proposed change accepted.")))
                self.log_change(request, proposal, str(_("Accepted.")))
                self.message_user(
                    request,
                    _("Accepted: the public page shows the change, and the contact has been told."),
                    messages.SUCCESS,
                )
            elif "_return" in request.POST:
                form = ReturnForm(request.POST)
                if not form.is_valid():
                    return self._review(request, proposal, form, status=400)
                proposal_return(
                    proposal=proposal, reviewer=request.user, note=form.cleaned_data["staff_note"]
                )
                self.log_change(request, proposal, str(_("Returned with a note.")))
                self.message_user(
                    request,
                    _("Returned: the contact has been sent your note."),
                    messages.SUCCESS,
                )
            else:
                return HttpResponseRedirect(request.path)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        return HttpResponseRedirect(self._changelist_url(self.admin_site.name))
