"""taggit's tags, named as staff know them: the topics ("Themen") of actors, events and projects.

INSTALLED_APPS lists taggit through ``TopicsConfig``, which gives its section of the admin a
German name; the admin of the topics themselves is in quartier/admin.py, and the model's
names („Thema“, „Themen“) are in quartier/admin_texts.py.
"""

from django.utils.translation import gettext_lazy as _
from taggit.apps import TaggitAppConfig


class TopicsConfig(TaggitAppConfig):
    verbose_name = _("Topics")
