"""The participating organisations ("Akteure") and the sectors they are grouped by."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.db.models.functions import Length, Lower
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from taggit.managers import TaggableManager

from quartier.content_version import changed_in_bulk
from quartier.media import upload_to
from quartier.models import (
    ConsentRecord,
    ConsentRecordQuerySet,
    ImageLicence,
    in_current_language,
    latitude_field,
    location_complete_constraint,
    location_errors,
    longitude_field,
)
from quartier.publishing import Publishable, PublishableQuerySet
from quartier.slugs import german_slugify
from quartier.uploads import ImageUploadField

# Addresses in the app's URLs that are pages of their own, not an object's (urls.py).
RESERVED_SLUGS = {"orte", "netzwerk"}


class Sector(models.Model):
    """A field of work, such as housing industry or foundations; staff maintain the list."""

    name = models.CharField(
        _("name"),
        max_length=120,
        unique=True,
        help_text=_("As shown in the directory's filter, e.g. “Housing industry”."),
    )
    name_en = models.CharField(
        _("name (English)"),
        max_length=120,
        blank=True,
        help_text=_("Shown on the English pages; the German name is shown while this is empty."),
    )
    slug = models.SlugField(
        _("short name in the address"),
        max_length=80,
        unique=True,
        help_text=_("Used in filter addresses, e.g. wohnungswirtschaft. Lower case, no spaces."),
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("A sentence or two on what the sector covers.")
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Sectors are listed by this number, then by name.")
    )

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return in_current_language(self, "name")


class ActorQuerySet(PublishableQuerySet):
    def participants(self):
        return self.filter(role=Actor.Role.PARTICIPANT)

    def searchable(self):
        """What the site search looks through, with what a hit shows (actors/search.py)."""
        return self.published().select_related("sector")

    def for_directory(self):
        """Published actors with everything a directory card shows, in alphabetical order."""
        return (
            self.published()
            .select_related("sector", "parent")
            # A plain list per actor: taggit's manager costs noticeable time per card otherwise.
            .prefetch_related(Prefetch("topics", to_attr="topic_list"))
            .order_by(Lower("name"), "pk")
        )

    def for_home_organisers(self):
        """Who runs the initiative: organisers first, then the supporting office and the funder."""
        order = {role: position for position, role in enumerate(Actor.Role.values)}
        actors = list(
            self.published()
            .exclude(role=Actor.Role.PARTICIPANT)
            .select_related("sector", "parent")
            .order_by("name")
        )
        return sorted(actors, key=lambda actor: order[actor.role])

    def for_home_participants(self, *, limit: int):
        """A few participants for the home page; members of a group are left out."""
        return (
            self.published()
            .participants()
            .filter(parent__isnull=True)
            .select_related("sector")
            .order_by(Lower("name"))[:limit]
        )

    def with_location(self):
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def for_map(self):
        """Those with a location, with what a place on the map shows of them and nothing else."""
        return (
            self.with_location()
            .select_related(None)
            .prefetch_related(None)
            .only("name", "slug", "city", "latitude", "longitude")
            .order_by()
        )

    def with_logo(self):
        return self.exclude(logo="")


class Actor(Publishable):
    """An organisation that takes part in, runs or funds the initiative.

    Its logo is public under MEDIA_URL, like the web variants of photos, in a folder named by
    32 random hexadecimal digits: until the profile is published its address is shown on no
    public page (only to staff), and it cannot be guessed, so a draft's logo is not reachable
    before publication. A view that checked publication on every request would keep the same
    promise at the cost of serving each logo through Django; logos are meant to be public
    once the profile is.
    """

    class Role(models.TextChoices):
        ORGANISER = "organiser", _("Organiser")
        SUPPORT = "support", _("Supporting office")
        FUNDER = "funder", _("Funder")
        PARTICIPANT = "participant", _("Participant")

    name = models.CharField(
        _("name"), max_length=200, help_text=_("The organisation's full name, as it writes it.")
    )
    short_name = models.CharField(
        _("short name or acronym"), max_length=60, blank=True, help_text=_("For example “DV”.")
    )
    slug = models.SlugField(
        _("short name in the address"),
        max_length=80,
        unique=True,
        # Left empty, it is made from the name (see clean()).
        blank=True,
        help_text=_(
            "Part of the page address, e.g. /akteure/degewo-ag/. "
            "Umlauts become ae, oe, ue and ß becomes ss."
        ),
    )
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        related_name="actors",
        null=True,
        blank=True,
        help_text=_("The field of work the directory groups the organisation under."),
    )
    role = models.CharField(
        _("role in the initiative"),
        max_length=20,
        choices=Role.choices,
        default=Role.PARTICIPANT,
        help_text=_(
            "Organisers, the supporting office and funders are named on the home page; "
            "participants are listed in the directory."
        ),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("belongs to group or network"),
        on_delete=models.SET_NULL,
        related_name="members",
        null=True,
        blank=True,
        help_text=_("The network or group this organisation takes part through, if any."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Markdown: **bold**, *italic*, [link](https://…)."),
    )
    mission = models.TextField(
        _("mission"),
        blank=True,
        help_text=_("In the organisation’s own words: what drives it to take part, what it adds."),
    )
    city = models.CharField(
        _("city"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("Where the organisation is based; the directory can be filtered by it."),
    )
    latitude = latitude_field()
    longitude = longitude_field()
    website = models.URLField(
        _("website"), blank=True, help_text=_("The full address, e.g. https://www.example.org/.")
    )
    # In a folder of random name (see the class docstring).
    logo = ImageUploadField(
        _("logo"),
        upload_to=upload_to,
        max_length=255,
        blank=True,
        help_text=_("An image file (PNG or JPEG), shown on the profile and the directory card."),
    )
    logo_alt_text = models.CharField(
        _("logo: alternative text"),
        max_length=250,
        blank=True,
        help_text=_("What the logo shows, for people who cannot see it. Required with a logo."),
    )
    logo_credit = models.CharField(
        _("logo: credit"), max_length=200, blank=True, help_text=_("For example “© DV”.")
    )
    logo_licence = models.CharField(
        _("logo: licence"),
        max_length=40,
        choices=ImageLicence.choices,
        blank=True,
        help_text=_("Under which licence the portal may show the logo."),
    )
    topics = TaggableManager(_("topics"), blank=True, help_text=_("Separate topics with commas."))
    joined_on = models.DateField(
        _("joined on"),
        null=True,
        blank=True,
        help_text=_("When the organisation joined the initiative, if known."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = ActorQuerySet.as_manager()

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        # Case-insensitive, so that "degewo AG" sorts under d on SQLite too.
        ordering = [Lower("name"), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="actor_not_its_own_parent"
            ),
            location_complete_constraint("actor_location_complete"),
        ]
        indexes = [
            # The directory's order (for_directory()): a page is read from the index, not
            # sorted out of every published actor.
            models.Index(
                Lower("name"),
                "id",
                name="actor_directory_order",
                condition=Q(is_published=True),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("actors:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors = {}
        if not self.slug and self.name:
            self.slug = german_slugify(self.name)
        if self.logo and not self.logo_alt_text.strip():
            errors["logo_alt_text"] = _("Please describe the logo for people who cannot see it.")
        if self.parent_id and self.pk and self.parent_id == self.pk:
            errors["parent"] = _("An organisation cannot be its own group.")
        elif self.parent is not None and self.parent.parent_id is not None:
            errors["parent"] = _(
                "Groups are one level deep: choose a group that has no group itself."
            )
        elif self.parent is not None and self.pk and self.members.exists():
            errors["parent"] = _(
                "This organisation has members of its own, so it cannot join a group: "
                "groups are one level deep."
            )
        errors.update(location_errors(self))
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = _(
                "This address belongs to a page of the portal; please choose another."
            )
        if self.name and not self.slug:
            errors["slug"] = _("Please enter a short name for the address, e.g. degewo-ag.")
        if errors:
            raise ValidationError(errors)

    @property
    def display_name(self) -> str:
        """The name, followed by the short name in brackets where it adds something."""
        if self.short_name and self.short_name.lower() not in self.name.lower():
            return f"{self.name} ({self.short_name})"
        return self.name


class ApplicationQuerySet(ConsentRecordQuerySet):
    def unconfirmed(self):
        return self.filter(status=Application.Status.UNCONFIRMED)

    def address_confirmed(self):
        """What reaches staff: applications whose sender confirmed the address (double opt-in)."""
        return self.exclude(status=Application.Status.UNCONFIRMED)

    def address_unconfirmed(self):
        return self.unconfirmed()

    def awaiting_review(self):
        """Confirmed applications nobody has decided yet, the longest waiting first."""
        return (
            self.filter(status=Application.Status.PENDING)
            .select_related("sector")
            .order_by("confirmed_at", "pk")
        )


class Application(ConsentRecord):
    """An organisation's request to join the initiative, sent through /mitmachen/.

    It reaches staff only once the sender confirmed the e-mail address (double opt-in). Approving
    it creates an unpublished actor draft that staff complete and publish.
    """

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("E-mail address not yet confirmed")
        PENDING = "pending", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    organisation_name = models.CharField(_("organisation"), max_length=200)
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        on_delete=models.SET_NULL,
        related_name="applications",
        null=True,
        blank=True,
    )
    city = models.CharField(_("city"), max_length=100)
    website = models.URLField(_("website"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    offers = models.TextField(_("what the organisation brings"), max_length=3000)
    seeks = models.TextField(_("what the organisation seeks"), max_length=3000)
    topics = models.CharField(
        _("topics"),
        max_length=300,
        blank=True,
        help_text=_("Separated by commas; they become the actor's topics on approval."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        related_name="applications",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.UNCONFIRMED,
        db_index=True,
    )
    created_at = models.DateTimeField(_("sent on"), auto_now_add=True)
    reviewed_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        related_name="reviewed_applications",
        null=True,
        blank=True,
    )
    review_note = models.TextField(
        _("note on the decision"),
        max_length=3000,
        blank=True,
        help_text=_("For staff only; it is not sent to the applicant."),
    )
    actor = models.OneToOneField(
        Actor,
        verbose_name=_("actor draft"),
        on_delete=models.SET_NULL,
        related_name="application",
        null=True,
        blank=True,
    )
    personal_data_removed_at = models.DateTimeField(
        _("personal data removed on"), null=True, blank=True
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application to join")
        verbose_name_plural = _("applications to join")
        ordering = ["-created_at", "-pk"]
        permissions = [("decide_application", _("Can approve or reject applications"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="unconfirmed") | Q(confirmed_at__isnull=False),
                name="application_confirmed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.organisation_name


class OfferOrNeedQuerySet(PublishableQuerySet):
    def published(self):
        """What the public may see: published entries of published actors."""
        return self.filter(is_published=True, actor__is_published=True)

    def unpublish(self) -> int:
        # Every published entry, an unpublished actor's too: the flag is the entry's own.
        return changed_in_bulk(self.filter(is_published=True).update(is_published=False))

    def offers(self):
        return self.filter(direction=OfferOrNeed.Direction.OFFER)

    def needs(self):
        return self.filter(direction=OfferOrNeed.Direction.NEED)

    def for_listing(self):
        """Published entries with everything a card shows, the newest first."""
        return (
            self.published()
            .select_related("actor", "actor__sector", "topic")
            .order_by("-created_at", "-pk")
        )

    def searchable(self):
        """What the site search looks through (actors/search.py), with what a hit shows."""
        return self.published().select_related("actor", "actor__sector", "topic")

    def for_actor_page(self, actor: Actor):
        """The actor's own published entries, offers before needs."""
        return (
            self.published()
            .filter(actor=actor)
            .select_related("topic")
            .order_by("direction", "kind", "pk")
        )


# Entries are short notices, not articles: a few sentences that a card shows in full.
OFFER_TITLE_MAX_LENGTH = 120
OFFER_TEXT_MAX_LENGTH = 600


class OfferOrNeed(Publishable):
    """What an actor offers to others or seeks from them ("Angebote und Gesuche").

    Staff publish an entry once they have read it; the public sees only published entries of
    published actors (``OfferOrNeedQuerySet.published``). An approved application's answers to
    "what do you bring" and "what do you seek" become the actor's first entries, as drafts.
    """

    class Direction(models.TextChoices):
        OFFER = "offer", _("Offer")
        NEED = "need", _("Need")

    class Kind(models.TextChoices):
        SPACE = "space", _("Space")
        KNOWLEDGE = "knowledge", _("Knowledge")
        CONTACTS = "contacts", _("Contacts")
        FUNDING = "funding", _("Funding")
        VOLUNTEERS = "volunteers", _("Volunteers")
        EQUIPMENT = "equipment", _("Equipment")
        OTHER = "other", _("Other")

    actor = models.ForeignKey(
        Actor,
        verbose_name=_("actor"),
        on_delete=models.CASCADE,
        related_name="offers_and_needs",
    )
    direction = models.CharField(
        _("offer or need"),
        max_length=10,
        choices=Direction.choices,
        help_text=_("Whether the actor offers this to others or seeks it."),
    )
    kind = models.CharField(
        pgettext_lazy("offer or need", "kind"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.OTHER,
        help_text=_("What it is about; entries of the same kind are shown as matches."),
    )
    topic = models.ForeignKey(
        "taggit.Tag",
        verbose_name=_("topic"),
        on_delete=models.SET_NULL,
        related_name="offers_and_needs",
        null=True,
        blank=True,
        help_text=_("One of the portal's topics, as actors, events and projects have them."),
    )
    title = models.CharField(
        _("title"),
        max_length=OFFER_TITLE_MAX_LENGTH,
        help_text=_("A few words, e.g. “Rooms for workshops in Berlin-Mitte”."),
    )
    text = models.TextField(
        _("text"),
        max_length=OFFER_TEXT_MAX_LENGTH,
        blank=True,
        help_text=_("A few sentences: what exactly, when, for whom. Plain text, no Markdown."),
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("from the application"),
        on_delete=models.SET_NULL,
        related_name="offers_and_needs",
        null=True,
        blank=True,
        help_text=_("The application to join whose answers this entry was made from, if any."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = OfferOrNeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer or need")
        verbose_name_plural = _("offers and needs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction__in=["offer", "need"]), name="offer_or_need_direction"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), OFFER_TEXT_MAX_LENGTH),
                name="offer_or_need_text_length",
            ),
        ]
        indexes = [
            # The list's order (for_listing()), read from the index.
            models.Index(
                fields=["-created_at", "-id"],
                name="offer_or_need_listing_order",
                condition=Q(is_published=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.title}"

    def get_absolute_url(self) -> str:
        """Where the entry is shown: on its actor's page (no query: the actor's slug is
        read from the related row, which listing verbs select)."""
        return f"{self.actor.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"eintrag-{self.pk}"


class ActorContactQuerySet(models.QuerySet):
    def of_user(self, user):
        """The memberships of ``user`` (none for an anonymous visitor), with their actors."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user).select_related("actor", "actor__sector")


class ActorContact(models.Model):
    """A person who speaks for an actor ("Ansprechperson"): they may propose changes to its
    public profile, which staff review (issue of proposed changes). A person may be the contact
    of several actors, an actor have several contacts."""

    class Source(models.TextChoices):
        APPLICATION = "application", _("approved application")
        INVITATION = "invitation", _("accepted invitation")
        STAFF = "staff", _("added by staff")

    actor = models.ForeignKey(
        Actor, verbose_name=_("actor"), on_delete=models.CASCADE, related_name="contacts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="actor_contacts",
    )
    source = models.CharField(_("how they became a contact"), max_length=20, choices=Source.choices)
    created_at = models.DateTimeField(_("contact since"), auto_now_add=True)

    objects = ActorContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["actor__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["actor", "user"], name="actor_contact_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.actor}"


class ContactInvitationQuerySet(models.QuerySet):
    def open(self):
        """Not accepted yet (an expired one stays open, but its link no longer works)."""
        return self.filter(accepted_at__isnull=True)

    def accepted_by_user(self, user):
        """The invitations ``user`` accepted, with their actors (for the data download)."""
        return self.filter(accepted_by=user).select_related("actor").order_by("accepted_at")


class ContactInvitation(models.Model):
    """Staff invite someone by e-mail address to become an actor's contact person. The link in
    the e-mail is signed and expires (``actors.contacts``); it works once: accepting closes it,
    which the link's token cannot know, so the row says it. Staff revoke an invitation by
    deleting it, and its link then names nothing."""

    actor = models.ForeignKey(
        Actor, verbose_name=_("actor"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(
        _("e-mail address"),
        help_text=_("Accepting needs an account with this address, verified."),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    # The account goes with its memberships (ActorContact.user): so does what it accepted.
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="accepted_invitations",
    )

    objects = ContactInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation of a contact person")
        verbose_name_plural = _("invitations of contact persons")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True, accepted_by__isnull=True)
                | Q(accepted_at__isnull=False, accepted_by__isnull=False),
                name="contact_invitation_accepted_by_whom",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.actor}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None


# The profile fields a contact may propose new values for (actors/proposals.py), in the order
# the form and the diff show them. Topics are a list of names; the others plain text.
PROPOSAL_FIELDS = ("name", "short_name", "description", "mission", "website", "city", "topics")


class ProfileProposalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ProfileProposal.Status.PENDING)

    def for_review(self):
        """Staff's list: the pending ones first (the longest waiting first), then the decided
        ones, the latest decision first."""
        return (
            self.select_related("actor", "proposed_by", "decided_by")
            .annotate(
                decided_last=models.Case(
                    models.When(status="pending", then=models.Value(0)),
                    default=models.Value(1),
                    output_field=models.IntegerField(),
                )
            )
            .order_by("decided_last", "created_at", "pk")
        )

    def latest_per_actor(self, actor_ids):
        """For each of the actors, its pending proposal or else its last decided one (two
        queries at most, whatever the number of actors and proposals)."""
        latest = (
            self.filter(actor=models.OuterRef("pk"))
            .annotate(
                decided_last=models.Case(
                    models.When(status="pending", then=models.Value(0)),
                    default=models.Value(1),
                    output_field=models.IntegerField(),
                )
            )
            .order_by("decided_last", "-updated_at", "-pk")
            .values("pk")[:1]
        )
        ids = (
            Actor.objects.filter(pk__in=list(actor_ids))
            .annotate(proposal_pk=models.Subquery(latest))
            .exclude(proposal_pk=None)
            .values_list("proposal_pk", flat=True)
        )
        return {proposal.actor_id: proposal for proposal in self.filter(pk__in=list(ids))}


class ProfileProposal(models.Model):
    """Changes to an actor's public profile that one of its contacts proposes ("Änderungs-
    vorschlag"); they reach the public page only when staff accept them (actors/proposals.py).

    ``values`` holds only the fields that differ from the actor as it was when the contact
    saved (field name -> new value, topics as a list of names): accepting changes those and
    leaves alone what staff changed in between. ``based_on`` is the actor's ``updated_at`` at
    that moment, to tell staff that the profile changed since. One pending proposal per actor;
    the contact keeps editing it until staff decide.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    actor = models.ForeignKey(
        Actor, verbose_name=_("actor"), on_delete=models.CASCADE, related_name="proposals"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        related_name="profile_proposals",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    values = models.JSONField(_("proposed values"), default=dict, blank=True)
    logo = ImageUploadField(_("proposed logo"), upload_to=upload_to, max_length=255, blank=True)
    logo_alt_text = models.CharField(_("logo: alternative text"), max_length=250, blank=True)
    logo_credit = models.CharField(_("logo: credit"), max_length=200, blank=True)
    logo_licence = models.CharField(
        _("logo: licence"), max_length=40, choices=ImageLicence.choices, blank=True
    )
    logo_permission = models.BooleanField(
        _("the organisation may publish the logo"),
        default=False,
        help_text=_("Confirmed by the person who proposed it."),
    )
    based_on = models.DateTimeField(
        _("made against the profile as of"),
        help_text=_("When the profile was last changed before the proposal was made."),
    )
    language = models.CharField(_("language"), max_length=10, default="de")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        related_name="decided_profile_proposals",
        null=True,
        blank=True,
    )
    staff_note = models.TextField(
        _("note from the staff"),
        max_length=3000,
        blank=True,
        help_text=_("Sent to the contact with the decision and shown on their page."),
    )

    objects = ProfileProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("decide_profileproposal", _("Can accept or return proposed changes of profiles"))
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["actor"],
                condition=Q(status="pending"),
                name="profile_proposal_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_stale(self) -> bool:
        """Whether the profile changed after the proposal was made (needs ``actor`` loaded)."""
        return self.actor.updated_at > self.based_on
