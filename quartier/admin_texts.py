"""Names of third-party models and admin sections that staff see, kept in the portal's catalogue.

Django looks up a message in the catalogues of LOCALE_PATHS before those of the apps, so the
portal's German entries for these msgids replace the libraries' (see
quartier/accounts/allauth_texts.py for the same with allauth's texts). ``make messages`` keeps
only msgids that appear in the portal's sources; listing them here keeps them. Each msgid must be
exactly the library's.
"""

from django.utils.translation import gettext_noop

TEXTS = [
    # taggit's model: staff know its tags as the topics of actors, events and projects
    # („Thema“, „Themen“; the section's name comes from quartier.topics.TopicsConfig).
    gettext_noop("tag"),
    gettext_noop("tags"),
    # allauth.mfa's section of the admin, which allauth's German leaves as "MFA".
    gettext_noop("MFA"),
]
