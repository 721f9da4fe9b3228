"""What the admin's history keeps of the portal's own pages (django-reversion)."""

import reversion

from .models import Page

reversion.register(Page)
