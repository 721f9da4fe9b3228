"""Names of third-party models and admin sections that staff see, kept in the portal's catalogue.

Django looks up a message in the catalogues of LOCALE_PATHS before those of the apps, so the
portal's German entries for these msgids replace the libraries' (see
quartier/accounts/allauth_texts.py for the same with allauth's texts). ``make messages`` keeps
only msgids that appear in the portal's sources; listing them here keeps them. Each msgid must be
exactly the library's.
"""

from django.utils.translation import gettext_noop, pgettext_lazy

TEXTS = [
    # taggit's model: staff know its tags as the topics of actors, events and projects
    # („Thema“, „Themen“; the section's name comes from quartier.topics.TopicsConfig).
    gettext_noop("tag"),
    gettext_noop("tags"),
    # allauth.mfa's section of the admin, which allauth's German leaves as "MFA".
    gettext_noop("MFA"),
    # django-tasks-db's model, the task queue (superusers see it; quartier.task_queue names its
    # section), with its fields and the states of a task.
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("priority"),
    gettext_noop("queue name"),
    gettext_noop("run after"),
    gettext_noop("task path"),
    gettext_noop("backend name"),
    gettext_noop("return value"),
    gettext_noop("args kwargs"),
    gettext_noop("worker id"),
    gettext_noop("exception class path"),
    gettext_noop("traceback"),
    pgettext_lazy("Task", "Ready"),
    pgettext_lazy("Task", "Running"),
    pgettext_lazy("Task", "Failed"),
    pgettext_lazy("Task", "Successful"),
]
