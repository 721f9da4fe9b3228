"""What the admin's change log and the version history keep of records whose personal data goes.

Removing a person's data from an application or a registration is not enough while copies
remain elsewhere: the admin's change log (``LogEntry``) names the record in ``object_repr``
(a registration by the person's name) and its change messages may name related records, and a
version history (django-reversion) would keep whole copies. The apps' retention services call
``history_forget`` for the records concerned, before they delete or empty them.
"""

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Cast
from reversion.models import Version


def history_forget(
    queryset: models.QuerySet, *, records_stay: bool, object_repr: str | None = None
) -> None:
    """Remove what the change log and the version history hold about these records.

    When the records stay and only lose their personal data (``records_stay``), their change-log
    entries stay too (who did what, and when) without their messages, named ``object_repr``
    where given. Records about to be deleted lose their entries. Versions are deleted either
    way: a version would bring the data back on a revert.
    """
    content_type = ContentType.objects.get_for_model(queryset.model)
    # Both keep the primary key as text.
    object_ids = queryset.order_by().annotate(key=Cast("pk", models.TextField())).values("key")
    Version.objects.filter(content_type=content_type, object_id__in=object_ids).delete()
    entries = LogEntry.objects.filter(content_type=content_type, object_id__in=object_ids)
    if not records_stay:
        entries.delete()
    elif object_repr is None:
        entries.update(change_message="")
    else:
        entries.update(object_repr=object_repr[:200], change_message="")
