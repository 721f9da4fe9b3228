"""What the admin's history keeps of projects and publications (django-reversion).

A revision groups everything one save changed: a project with its partners (and their
roles), documents, photos and topics (not its approaches), as the form and its inlines save
them together; reverting to it restores them all. Documents, photos and publications are
kept as their field values: reverting restores the reference to the file, not a file that
has been deleted since.
"""

import reversion

from .models import Project, ProjectDocument, ProjectPartner, ProjectPhoto, Publication

reversion.register(Project, follow=["partnerships", "documents", "photos", "tagged_items"])
reversion.register(ProjectPartner)
reversion.register(ProjectDocument)
reversion.register(ProjectPhoto)
reversion.register(Publication)
