import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Case, Count, F, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from quartier.admin_history import (
    ChangeMessageMixin,
    HistoryAdmin,
    log_creation,
    log_list_action,
)
from quartier.admin_import_export import ImportExportMixin
from quartier.admin_optin import ConfirmedOnlyAdminMixin
from quartier.admin_publishing import PublishActionsMixin

from . import (
    proposal_admin,  # noqa: F401  (the admin of proposed changes)
    versions,  # noqa: F401  (registers the models before their admins do)
)
from .contacts import invitation_create
from .models import (
    Actor,
    ActorContact,
    Application,
    ContactInvitation,
    OfferOrNeed,
    ProfileProposal,
    Sector,
)
from .resources import ActorResource
from .services import application_approve, application_reject


@admin.register(Sector)
class SectorAdmin(HistoryAdmin, admin.ModelAdmin):
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


class OfferOrNeedInline(admin.StackedInline):
    """The actor's offers and needs, on its own page; each one is published on its own."""

    model = OfferOrNeed
    fields = ["direction", "kind", "topic", "title", "text", "is_published"]
    autocomplete_fields = ["topic"]
    extra = 0
    show_change_link = True


class ContactInline(admin.TabularInline):
    """The actor's contact persons: staff see and remove them; people become contacts by an
    approved application or an accepted invitation, never by hand. Removing one is a change of
    the actor, recorded in its history like any other."""

    model = ActorContact
    fields = ["account_email", "source", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("account"))
    def account_email(self, contact):
        return contact.user.email


class InvitationInline(admin.TabularInline):
    """The invitations not yet accepted; deleting one revokes it (its link then leads nowhere).
    New ones are sent from the page "Invite a contact person" (``ActorAdmin.invite_view``)."""

    model = ContactInvitation
    fields = ["email", "created_at", "expires"]
    readonly_fields = fields
    extra = 0
    can_delete = True
    verbose_name = _("open invitation")
    verbose_name_plural = _("open invitations of contact persons (deleting one revokes it)")

    def get_queryset(self, request):
        return super().get_queryset(request).open()

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("link valid until"))
    def expires(self, invitation):
        until = invitation.created_at + datetime.timedelta(days=settings.CONTACT_INVITATION_DAYS)
        text = formats.localize(timezone.localtime(until))
        return text if until > timezone.now() else _("%(moment)s (expired)") % {"moment": text}


CONTACT_INLINES = (ContactInline, InvitationInline)


class ContactInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_(
            "The person receives a link that is valid for a limited time. Accepting needs an "
            "account with this address, verified; the person can create one after opening "
            "the link."
        ),
    )


@admin.register(OfferOrNeed)
class OfferOrNeedAdmin(PublishActionsMixin, HistoryAdmin, admin.ModelAdmin):
    """Offers and needs: staff read what actors wrote, correct it and publish it."""

    list_display = ["title", "actor", "direction", "kind", "topic", "is_published", "created_at"]
    list_display_links = ["title"]
    list_filter = [
        "is_published",
        "direction",
        "kind",
        ("topic", admin.RelatedOnlyFieldListFilter),
        "actor__sector",
        ("application", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["actor", "topic"]
    search_fields = ["title", "text", "actor__name", "actor__short_name"]
    autocomplete_fields = ["actor", "topic"]
    readonly_fields = ["application_link", "created_at", "updated_at"]
    date_hierarchy = "created_at"
    published_message = ngettext_lazy(
        "%(count)d offer or need published.", "%(count)d offers and needs published.", "count"
    )
    unpublished_message = ngettext_lazy(
        "%(count)d offer or need unpublished.",
        "%(count)d offers and needs unpublished.",
        "count",
    )
    fieldsets = [
        (None, {"fields": ["actor", "direction", "kind", "topic", "is_published"]}),
        (_("Text"), {"fields": ["title", "text"]}),
        (_("Origin"), {"fields": ["application_link", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("from the application"))
    def application_link(self, entry):
        if entry.application_id is None:
            return _("Entered by staff.")
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:actors_application_change", args=[entry.application_id]),
            _("View the application"),
        )


@admin.register(Actor)
class ActorAdmin(PublishActionsMixin, ImportExportMixin, HistoryAdmin, admin.ModelAdmin):
    resource_classes = [ActorResource]
    import_help_text = _(
        "Columns as in an export of the actors; only “Name” is required. Files in CSV (UTF-8 "
        "or Windows-1252, separated by semicolons or commas) or Excel. An actor is recognised "
        "by its short name in the address, or else by its name. Imported actors are drafts "
        "unless the column “Veröffentlicht” says “ja”."
    )
    list_display = ["name", "short_name", "sector", "role", "parent", "city", "is_published"]
    list_display_links = ["name"]
    list_filter = [
        "is_published",
        "role",
        "sector",
        "city",
        ("parent", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["sector", "parent"]
    search_fields = ["name", "short_name", "city", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [MemberInline, OfferOrNeedInline, ContactInline, InvitationInline]
    published_message = ngettext_lazy(
        "%(count)d actor published.", "%(count)d actors published.", "count"
    )
    unpublished_message = ngettext_lazy(
        "%(count)d actor unpublished.", "%(count)d actors unpublished.", "count"
    )
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
    readonly_fields = ["application_link", "proposal_link"]

    class Media:
        js = ["js/admin-german-slugs.js"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            fieldsets.insert(0, (_("Proposed changes"), {"fields": ["proposal_link"]}))
            fieldsets.append((_("Application to join"), {"fields": ["application_link"]}))
        return fieldsets

    def construct_change_message(self, request, form, formsets, add=False):
        """A removed contact or revoked invitation is named by its number in the history: the
        person's account name or address stays out of it (see quartier.admin_history)."""
        message = super().construct_change_message(request, form, formsets, add)
        numbers = {}
        for formset in formsets or ():
            if formset.model in (ActorContact, ContactInvitation):
                # Deleted by now, the objects have lost their keys; the forms still hold them.
                for deleted_form in formset.deleted_forms:
                    numbers[str(deleted_form.instance)] = str(deleted_form["id"].value())
        for entry in message:
            deleted = entry.get("deleted")
            if deleted and deleted.get("object") in numbers:
                deleted["object"] = numbers[deleted["object"]]
        return message

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if obj is None:  # a new actor has neither contacts nor invitations
            return [inline for inline in inlines if inline not in CONTACT_INLINES]
        return inlines

    def get_urls(self):
        return [
            path(
                "<path:object_id>/einladen/",
                self.admin_site.admin_view(self.invite_view),
                name="actors_actor_invite",
            ),
            *super().get_urls(),
        ]

    def may_invite(self, request, actor) -> bool:
        return self.has_view_permission(request, actor) and request.user.has_perm(
            "actors.add_contactinvitation"
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        actor = self.get_object(request, unquote(object_id))
        extra_context = {
            **(extra_context or {}),
            "may_invite": actor is not None and self.may_invite(request, actor),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def invite_view(self, request, object_id):
        """The page "Invite a contact person": an address, and on POST the invitation e-mail."""
        actor = self.get_object(request, unquote(object_id))
        if actor is None:
            raise Http404
        if not self.may_invite(request, actor):
            raise PermissionDenied
        form = ContactInviteForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            email = form.cleaned_data["email"]
            try:
                invitation_create(actor=actor, email=email, invited_by=request.user)
            except ValidationError as error:
                form.add_error("email", error)
            else:
                # The address stays out of the history (see quartier.admin_history).
                log_list_action(self, request, [actor], INVITED_LOG_MESSAGE)
                self.message_user(
                    request,
                    _("The invitation has been sent to %(email)s.") % {"email": email},
                    messages.SUCCESS,
                )
                return redirect("admin:actors_actor_change", actor.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Invite a contact person"),
            "subtitle": actor.name,
            "opts": self.opts,
            "original": actor,
            "form": form,
            "days": settings.CONTACT_INVITATION_DAYS,
        }
        return TemplateResponse(request, "admin/actors/actor/invite.html", context)

    @admin.display(description=_("proposed change"))
    def proposal_link(self, actor):
        """The pending proposal of one of the actor's contacts, if any (one query)."""
        pending = ProfileProposal.objects.filter(actor=actor).pending().only("pk").first()
        if pending is None:
            return _("No proposed change awaits review.")
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:actors_profileproposal_change", args=[pending.pk]),
            _("A contact has proposed changes: review them"),
        )

    @admin.display(description=_("application to join"))
    def application_link(self, actor):
        """The application the draft was made from, if any (one query, on the change page)."""
        application = Application.objects.filter(actor=actor).only("pk", "created_at").first()
        if application is None:
            return _("This actor was not created from an application.")
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:actors_application_change", args=[application.pk]),
            _("View the application"),
        )


INVITED_LOG_MESSAGE = _("Invited a contact person by e-mail.")

# The first entry in the history of an actor made by approving an application.
ACTOR_DRAFT_MESSAGE = _("Created as a draft from an application to join.")


class ApplicationStatusFilter(admin.SimpleListFilter):
    """The status of what reached staff: unconfirmed applications are not listed at all."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            (Application.Status.PENDING, _("Awaiting review")),
            (Application.Status.APPROVED, _("Approved")),
            (Application.Status.REJECTED, _("Rejected")),
        ]

    def queryset(self, request, queryset):
        if self.value() in Application.Status.values:
            return queryset.filter(status=self.value())
        return queryset


class ApplicationAdminForm(forms.ModelForm):
    """The review: a decision and a note for staff; the application itself stays as it was sent."""

    class Decision(models.TextChoices):
        KEEP = "keep", _("Keep awaiting review")
        APPROVE = "approve", _("Approve: create an unpublished actor draft and tell the applicant")
        REJECT = "reject", _("Reject: tell the applicant politely (the note is not sent)")

    decision = forms.ChoiceField(
        label=_("decision"),
        choices=Decision.choices,
        initial=Decision.KEEP,
        widget=forms.RadioSelect,
        required=False,
    )

    class Meta:
        model = Application
        fields = ["review_note"]

    def clean(self):
        cleaned_data = super().clean()
        decision = cleaned_data.get("decision") or self.Decision.KEEP
        cleaned_data["decision"] = decision
        if decision != self.Decision.KEEP and self.instance.status != Application.Status.PENDING:
            raise ValidationError(
                _(
                    "Only applications awaiting review can be approved or rejected. "
                    "This one is: %(status)s."
                ),
                params={"status": self.instance.get_status_display()},
            )
        return cleaned_data


@admin.register(Application)
class ApplicationAdmin(ConfirmedOnlyAdminMixin, ChangeMessageMixin, admin.ModelAdmin):
    """The staff's queue of applications: what awaits review comes first.

    Only applications whose sender confirmed the address are listed (double opt-in); the others
    are counted above the list.
    """

    form = ApplicationAdminForm
    list_display = [
        "organisation_name",
        "city",
        "sector",
        "status_label",
        "created_at",
        "confirmed_at",
    ]
    list_filter = [ApplicationStatusFilter, "sector", "confirmed_at"]
    list_select_related = ["sector"]
    search_fields = ["organisation_name", "contact_name", "email", "city"]
    actions = ["approve", "reject"]
    unconfirmed_message = ngettext_lazy(
        "%(count)d application is not listed: its e-mail address is not yet confirmed.",
        "%(count)d applications are not listed: their e-mail address is not yet confirmed.",
        "count",
    )
    readonly_fields = [
        "organisation_name",
        "sector",
        "city",
        "website_link",
        "topics",
        "offers",
        "seeks",
        "contact_name",
        "email",
        "phone",
        "account",
        "status_label",
        "created_at",
        "confirmed_at",
        "privacy_consent_at",
        "privacy_notice_version",
        "personal_data_removed_at",
        "reviewed_at",
        "reviewed_by",
        "actor_link",
    ]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("sector", "reviewed_by", "actor", "user")
        )

    def get_ordering(self, request):
        # Awaiting review first, the longest waiting at the top (as on the admin's start page);
        # then the decided ones, the newest first.
        queue_position = Case(
            When(status=Application.Status.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        waiting_since = Case(
            When(status=Application.Status.PENDING, then=F("confirmed_at")), default=None
        )
        return [queue_position.asc(), waiting_since.asc(), "-created_at", "-pk"]

    def get_fieldsets(self, request, obj=None):
        decision = ["decision", "review_note"]
        if (
            obj is None
            or obj.status != Application.Status.PENDING
            or not self.has_decide_permission(request)
        ):
            decision = ["review_note"]
        return [
            (
                _("Organisation"),
                {
                    "fields": [
                        "organisation_name",
                        "sector",
                        "city",
                        "website_link",
                        "topics",
                        "offers",
                        "seeks",
                    ]
                },
            ),
            (_("Contact"), {"fields": ["contact_name", "email", "phone", "account"]}),
            (
                _("Status and consent"),
                {
                    "fields": [
                        "status_label",
                        "created_at",
                        "confirmed_at",
                        "privacy_consent_at",
                        "privacy_notice_version",
                        "personal_data_removed_at",
                    ]
                },
            ),
            (
                _("Decision"),
                {"fields": [*decision, "reviewed_at", "reviewed_by", "actor_link"]},
            ),
        ]

    def has_add_permission(self, request):
        # Applications come through the public form, with consent and a confirmed address.
        return False

    def has_decide_permission(self, request, obj=None):
        """Approving or rejecting is a permission of its own (the role "Verwaltung")."""
        return request.user.has_perm("actors.decide_application")

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, application):
        return application.get_status_display()

    @admin.display(description=_("website"))
    def website_link(self, application):
        if not application.website:
            return "–"
        return format_html(
            '<a href="{}" rel="noopener noreferrer">{}</a>',
            application.website,
            application.website,
        )

    @admin.display(description=_("account"))
    def account(self, application):
        if application.user is None:
            return _("sent without an account")
        return application.user.get_username()

    @admin.display(description=_("actor draft"))
    def actor_link(self, application):
        if application.actor is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:actors_actor_change", args=[application.actor.pk]),
            application.actor.name,
        )

    def save_model(self, request, obj, form, change):
        decision = form.cleaned_data.get("decision")
        if decision != ApplicationAdminForm.Decision.KEEP and not self.has_decide_permission(
            request
        ):
            raise PermissionDenied
        note = form.cleaned_data.get("review_note", "")
        try:
            if decision == ApplicationAdminForm.Decision.APPROVE:
                actor = application_approve(
                    application=obj,
                    reviewer=request.user,
                    note=note,
                )
                log_creation(self, request, actor, ACTOR_DRAFT_MESSAGE)
                done = format_html(
                    '{} <a href="{}">{}</a>',
                    _("Approved; the applicant has been told. The unpublished draft:"),
                    reverse("admin:actors_actor_change", args=[actor.pk]),
                    actor.name,
                )
            elif decision == ApplicationAdminForm.Decision.REJECT:
                application_reject(
                    application=obj,
                    reviewer=request.user,
                    note=note,
                )
                done = _("Rejected; the applicant has been told.")
            else:
                obj.save(update_fields=["review_note"])
                return
        except ValidationError as error:
            # Decided by someone else a moment ago: nothing changed.
            obj.refresh_from_db()
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return

        # Once the decision is committed, and with it the e-mail to the applicant queued (a mail
        # server that is down only delays it: quartier.mail).
        transaction.on_commit(lambda: self.message_user(request, done, messages.SUCCESS))

    def _decide(self, request, queryset, decide, done_message, history_message):
        decided = skipped = 0
        for application in queryset:
            if application.status != Application.Status.PENDING:
                skipped += 1
                continue
            try:
                draft = decide(application=application, reviewer=request.user)
            except ValidationError:
                skipped += 1
            else:
                decided += 1
                log_list_action(self, request, [application], history_message)
                if isinstance(draft, Actor):
                    log_creation(self, request, draft, ACTOR_DRAFT_MESSAGE)
        if decided:
            self.message_user(request, done_message(decided) % {"count": decided}, messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d application was left alone: only applications awaiting review "
                    "can be decided.",
                    "%(count)d applications were left alone: only applications awaiting review "
                    "can be decided.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    @admin.action(
        description=_("Approve selected applications (creates actor drafts)"),
        permissions=["decide"],
    )
    def approve(self, request, queryset):
        self._decide(
            request,
            queryset,
            application_approve,
            lambda count: ngettext(
                "%(count)d application approved; unpublished actor drafts were created.",
                "%(count)d applications approved; unpublished actor drafts were created.",
                count,
            ),
            _("Approved through the list action."),
        )

    @admin.action(description=_("Reject selected applications"), permissions=["decide"])
    def reject(self, request, queryset):
        self._decide(
            request,
            queryset,
            application_reject,
            lambda count: ngettext(
                "%(count)d application rejected; the applicants were told.",
                "%(count)d applications rejected; the applicants were told.",
                count,
            ),
            _("Rejected through the list action."),
        )
