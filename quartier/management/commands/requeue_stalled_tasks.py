"""Puts tasks back in line whose worker died while running them. Run it every few minutes,
e.g. by cron:

    */10 * * * *  cd /srv/quartier && .venv/bin/python manage.py requeue_stalled_tasks

A worker stopped with SIGTERM finishes its task first; one that is killed (SIGKILL, out of
memory, a machine that goes down) leaves its task marked as running, and its e-mail would never
leave. See quartier.tasks.stalled_tasks_requeue.
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from quartier.tasks import stalled_tasks_requeue


class Command(BaseCommand):
    help = (
        "Puts the tasks of the database queue back in line that have been running for longer "
        "than --minutes (default 30): their worker was killed. Run it every few minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes",
            type=int,
            default=30,
            help="How long a task may run before it counts as stalled (default 30).",
        )

    def handle(self, *args, minutes: int, **options):
        if minutes < 1:
            self.stderr.write("--minutes must be at least 1.")
            return
        requeued = stalled_tasks_requeue(
            started_before=timezone.now() - datetime.timedelta(minutes=minutes)
        )
        self.stdout.write(f"{requeued} stalled task(s) put back in line.")
