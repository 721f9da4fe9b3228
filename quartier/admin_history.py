"""The admin's history: who changed what and when, what changed, and a way back.

The history is django-reversion's. A revision groups what one save changed, the object with
the objects its app says belong to it (``versions.py`` of each app: an event with its
programme items, speakers, documents and photos): reverting to it restores the event *with*
its programme in one step, which per-row histories (django-simple-history) cannot do. Each
app registers its models itself; applications and registrations are not registered, so no
personal data enters the history.

``HistoryAdmin`` takes reversion's ``VersionAdmin`` place among an admin's bases. Its history
page links each version to a page of its changes, field by field, for the object and for
what belongs to it (programme items added, removed, changed), and to reversion's revert form,
which saves (a POST, with the change permission) only once the editor confirms.

Django stores the field names of a change message untranslated and translates them when the
history is shown; but it stores them as form labels ("Note on the decision"), which the
catalogue knows only as verbose names ("note on the decision"). ``ChangeMessageMixin`` stores
them in the site's language instead, so the history names fields as the form does.
"""

import reversion
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import IntegrityError, models
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from reversion.models import Version


class ChangeMessageMixin:
    """Change messages name the changed fields in the site's language, as its forms do."""

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        labels = {}
        forms = [form, *(inline for formset in formsets or () for inline in formset.forms)]
        for each in forms:
            for name in each.changed_data:
                field = each.fields.get(name)
                label = (field.label if field is not None else None) or name
                with translation.override(None):
                    untranslated = str(label)
                with translation.override(settings.LANGUAGE_CODE):
                    labels[untranslated] = str(label)
        for entry in message:
            changed = entry.get("changed")
            if changed and "fields" in changed:
                changed["fields"] = [labels.get(name, name) for name in changed["fields"]]
        return message


def log_list_action(model_admin, request, objects, message) -> None:
    """Record a list action in the history of each object it changed, as a save does.

    Every object gets an entry in the admin's change log (its history page, the start page's
    recent changes); an object under version control also a version with the editor and the
    message. Within a list of ``VersionAdmin`` the versions join the list's revision, as the
    rows saved from the list do. The message is stored in the site's language; it names no
    person, so the change log keeps no personal data.
    """
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message)
    with reversion.create_revision():
        reversion.set_user(request.user)
        for obj in objects:
            if reversion.is_registered(type(obj)):
                reversion.add_to_revision(obj)
            model_admin.log_change(request, obj, text)
        reversion.set_comment(text)


def log_creation(model_admin, request, obj, message) -> None:
    """Record an object that a staff action made (an actor draft from an application): an
    addition in the change log and, under version control, its first version."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message)
    with reversion.create_revision():
        reversion.set_user(request.user)
        reversion.set_comment(text)
        if reversion.is_registered(type(obj)):
            reversion.add_to_revision(obj)
        model_admin.log_addition(request, obj, text)


# --- Comparing versions -----------------------------------------------------------------------


def _is_empty(value) -> bool:
    return value is None or value == "" or value == []


def _display(field, value) -> str:
    """A stored value as an editor reads it: choices by label, related objects by name."""
    if _is_empty(value):
        return "–"
    if field.many_to_many:
        names = sorted(str(obj) for obj in field.related_model._base_manager.filter(pk__in=value))
        return ", ".join(names) or "–"
    if field.is_relation:
        related = field.related_model._base_manager.filter(pk=value).first()
        return (
            str(related) if related is not None else gettext("deleted (no. %(pk)s)") % {"pk": value}
        )
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return gettext("Yes") if value else gettext("No")
    if isinstance(field, models.DateTimeField):
        return formats.localize(timezone.localtime(value))
    if isinstance(field, models.DateField | models.TimeField | models.DecimalField):
        return formats.localize(value)
    return str(value)


def _members(version: Version | None) -> dict:
    """The versions of a revision that belong to ``version``'s object, keyed by object.

    An object belongs to it when one of its foreign keys points to the object or to one that
    belongs to it (a speaker to a programme item of the event), or a generic one (the rows that
    tag it with its topics). Other rows saved in the same revision (by a list action over
    several events) are left out.
    """
    if version is None:
        return {}
    versions = list(version.revision.version_set.all())
    members = {(version.content_type_id, version.object_id): version}
    keys = {(version._model, version.object_id)}
    grown = True
    while grown:
        grown = False
        for other in versions:
            key = (other.content_type_id, other.object_id)
            if key in members:
                continue
            if any(target in keys for target in _points_to(other)):
                members[key] = other
                keys.add((other._model, other.object_id))
                grown = True
    return members


def _points_to(version: Version):
    """The objects a version's foreign keys, generic ones too, point to: (model, pk)."""
    opts = version._model._meta
    for field in opts.concrete_fields:
        value = version.field_dict.get(field.attname) if field.many_to_one else None
        if value is not None:
            yield field.related_model, str(value)
    for field in opts.private_fields:
        if isinstance(field, GenericForeignKey):
            content_type = version.field_dict.get(opts.get_field(field.ct_field).attname)
            object_id = version.field_dict.get(field.fk_field)
            if content_type is not None and object_id is not None:
                yield ContentType.objects.get_for_id(content_type).model_class(), str(object_id)


def _generic_changes(model, old: dict, new: dict) -> tuple[list[dict], set]:
    """Rows for the object's generic relations (its topics), and the versions they cover.

    A row that tags the object is shown as what it points to (the topic's name), among the
    object's fields, named as the form's field (``TaggableManager``) is.
    """
    rows, covered = [], set()
    for relation in model._meta.private_fields:
        if not isinstance(relation, GenericRelation):
            continue
        through = relation.related_model
        target = next(
            field
            for field in through._meta.concrete_fields
            if field.many_to_one and field.name != relation.content_type_field_name
        )
        label = next(
            (
                field.verbose_name
                for field in model._meta.get_fields()
                if getattr(field, "through", None) is through
            ),
            relation.verbose_name,
        )
        names = []
        for versions in (old, new):
            ids = []
            for key, version in versions.items():
                if version._model is through:
                    covered.add(key)
                    ids.append(version.field_dict[target.attname])
            related = target.related_model._base_manager.filter(pk__in=ids)
            names.append(", ".join(sorted(str(obj) for obj in related)) if ids else "–")
        if names[0] != names[1]:
            rows.append({"label": capfirst(label), "before": names[0], "after": names[1]})
    return rows, covered


def _field_changes(model, before: dict, after: dict, parents: set) -> list[dict]:
    rows = []
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if field.primary_key or not field.editable or not field.serialize:
            continue
        old, new = before.get(field.attname), after.get(field.attname)
        if field.many_to_one and (field.related_model, str(new or old)) in parents:
            continue  # the object it belongs to, shown above
        if field.many_to_many:
            old, new = sorted(old or []), sorted(new or [])
        if old != new and not (_is_empty(old) and _is_empty(new)):
            rows.append(
                {
                    "label": capfirst(field.verbose_name),
                    "before": _display(field, old) if before else "–",
                    "after": _display(field, new) if after else "–",
                }
            )
    return rows


def _in_saving_order(key) -> tuple:
    content_type_id, object_id = key
    return (content_type_id, len(object_id), object_id)


def version_changes(before: Version | None, after: Version) -> list[dict]:
    """What changed from one version of an object to another, object by object.

    The object comes first, then what belongs to it, each with its state (added, removed,
    changed) and its fields that differ, named as in the form (in the active language).
    """
    old, new = _members(before), _members(after)
    main = (after.content_type_id, after.object_id)
    parents = {(version._model, version.object_id) for version in [*old.values(), *new.values()]}
    generic_rows, covered = _generic_changes(after._model, old, new)
    sections = []
    related = sorted((set(old) | set(new)) - {main} - covered, key=_in_saving_order)
    for key in [main, *related]:
        previous, current = old.get(key), new.get(key)
        version = current or previous
        model = version._model
        rows = _field_changes(
            model,
            previous.field_dict if previous else {},
            current.field_dict if current else {},
            parents - {(model, version.object_id)},
        )
        if key == main:
            rows += generic_rows
        elif previous and current and not rows:
            continue
        if key == main:
            state = ""
        elif previous is None:
            state = gettext("added")
        elif current is None:
            state = gettext("removed")
        else:
            state = gettext("changed")
        sections.append(
            {
                "name": capfirst(model._meta.verbose_name),
                "object": version.object_repr,
                "state": state,
                "rows": rows,
            }
        )
    return sections


NOT_RESTORABLE_MESSAGE = _(
    "This version cannot be restored: it refers to something deleted since, such as a topic. "
    "Nothing was changed."
)


class HistoryAdmin(ChangeMessageMixin, VersionAdmin):
    """reversion's admin, with a page of changes for every version in the history."""

    object_history_template = "admin/history/object_history.html"
    history_latest_first = True

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/history/<int:version_id>/changes/",
                self.admin_site.admin_view(self.version_changes_view),
                name=f"{opts.app_label}_{opts.model_name}_version_changes",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST":  # list actions and rows saved from the list
            return super().changelist_view(request, extra_context)
        # A list that is only looked at saves nothing: no revision, no transaction around it.
        context = {"has_change_permission": self.has_change_permission(request)}
        return super(VersionAdmin, self).changelist_view(request, context | (extra_context or {}))

    def revision_view(self, request, object_id, version_id, extra_context=None):
        try:
            return super().revision_view(request, object_id, version_id, extra_context)
        except (IntegrityError, ObjectDoesNotExist):
            # The version names something deleted since that the history does not bring
            # back, such as a topic; the revert was rolled back.
            messages.error(request, NOT_RESTORABLE_MESSAGE)
            opts = self.model._meta
            return redirect(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history", object_id
            )

    def _versions(self, request, obj):
        return list(
            self._reversion_order_version_queryset(
                request, Version.objects.get_for_object(obj).select_related("revision__user")
            )
        )

    def history_view(self, request, object_id, extra_context=None):
        opts = self.model._meta
        obj = self.get_object(request, unquote(object_id))
        action_list = []
        if obj is not None:
            for version in self._versions(request, obj):
                args = [object_id, version.pk]
                action_list.append(
                    {
                        "revision": version.revision,
                        "url": reverse(
                            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                            args=args,
                        ),
                        "changes_url": reverse(
                            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}"
                            "_version_changes",
                            args=args,
                        ),
                    }
                )
        return super().history_view(
            request, object_id, {"action_list": action_list, **(extra_context or {})}
        )

    def version_changes_view(self, request, object_id, version_id):
        """What a version changed, and what has changed since: read only, nothing reverts."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        versions = sorted(self._versions(request, obj), key=lambda version: version.pk)
        position = next((i for i, v in enumerate(versions) if v.pk == version_id), None)
        if position is None:
            raise Http404
        version = versions[position]
        previous = versions[position - 1] if position else None
        latest = versions[-1]
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("Changes of %(object)s") % {"object": obj},
            "opts": opts,
            "object": obj,
            "version": version,
            "previous": previous,
            "changes": version_changes(previous, version) if previous else None,
            "since": version_changes(version, latest) if version != latest else None,
            "revert_url": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                args=[object_id, version.pk],
            ),
            "has_change_permission": self.has_change_permission(request, obj),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/history/version_changes.html", context)
