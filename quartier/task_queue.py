"""django-tasks-db's queue (quartier/tasks.py), named as staff read it in the admin.

INSTALLED_APPS lists django-tasks-db through ``TaskQueueConfig``, which gives its section of the
admin a German name (the library's is "Tasks Database Backend" and not translated); the names of
its model and fields are in quartier/admin_texts.py. Its app label stays the library's.
"""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TaskQueueConfig(TasksAppConfig):
    verbose_name = _("Task queue")
