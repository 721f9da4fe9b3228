"""What the admin's history keeps of the portal's own pages and of the topics every app uses.

Actors, events and projects follow the rows that tag them with their topics (``tagged_items``,
which django-taggit adds to them): reverting restores an object's topics. The topics
themselves are shared by every object and are not followed: a revert would otherwise rename a
topic back for everyone, or delete one added since from every object that has it. A version
that names a topic deleted since cannot be restored (``HistoryAdmin`` says so).
"""

import reversion
from taggit.models import TaggedItem

from .models import Page

reversion.register(Page)
reversion.register(TaggedItem)
