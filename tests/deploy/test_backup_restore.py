"""The backup of a production database and its files restores to the same portal.

bin/check-backup-restore builds a scratch database with the demo data, backs it up with
bin/backup (pg_dump and tar), restores it with bin/restore into a second scratch database and
empty folders, and compares every table's rows, every sequence and every file.
"""

import os

from tests.deploy.conftest import ROOT, run


def test_backup_and_restore_round_trip(postgres_server):
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "CHECK_POSTGRES_URL": postgres_server,
    }
    result = run([str(ROOT / "bin" / "check-backup-restore")], environment)
    assert "backup and restore round trip: equal" in result.stdout
    # It compared something: the demo's tables have rows, its photos files.
    summary = result.stdout.rsplit("equal (", 1)[1]
    assert " 0 rows" not in summary
    assert " 0 files" not in summary
