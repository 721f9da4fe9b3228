"""What the admin's history keeps of events (django-reversion).

A revision groups everything one save changed: an event with its programme items, their
speakers, its documents, photos and topics, as the form and its inlines save them together.
Reverting to it restores the event *with* its programme, and removes programme items added
since. A change made on a programme item's own page (its speakers) is kept with the whole
event, so the event's history shows it too.

Documents and photos are kept as their field values: reverting restores the reference to the
file, not a file that has been deleted since. Registrations are not registered: they hold
personal data, which the history must not keep beyond the retention period.
"""

import reversion

from .models import Event, EventDocument, EventFormat, EventPhoto, ProgrammeItem, Speaker

reversion.register(EventFormat)
reversion.register(Event, follow=["programme_items", "documents", "photos", "tagged_items"])
reversion.register(ProgrammeItem, follow=["speakers", "event"])
reversion.register(Speaker)
reversion.register(EventDocument)
reversion.register(EventPhoto)
