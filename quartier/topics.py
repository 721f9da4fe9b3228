"""taggit's tags, named as staff know them: the topics ("Themen") of actors, events and projects.

INSTALLED_APPS lists taggit through ``TopicsConfig``, which gives its section of the admin a
German name; the admin of the topics themselves is in quartier/admin.py.
"""

from django.utils.translation import gettext_lazy as _
from taggit.apps import TaggitAppConfig


class TopicsConfig(TaggitAppConfig):
    verbose_name = _("Topics")


# taggit names its model "tag" and "tags". The portal's catalogue, which takes precedence over
# taggit's own, translates these two words "Thema" and "Themen"; they are named here so that
# makemessages keeps them.
TAG_NAMES = (_("tag"), _("tags"))
