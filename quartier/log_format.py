"""Log lines as JSON, one object a line, for the log collector of the production machines.

Used by the portal's logging (``LOG_FORMAT=json``, the default with ``DEBUG`` off) and by
gunicorn's own logs, its access log included (``gunicorn.conf.py``): every line of the app
servers is one JSON object with ``time`` (UTC), ``level``, ``logger``, ``message`` and
``request_id``, plus what the record carries besides (``status_code``, a traceback as
``exception``). Only the standard library: gunicorn's master process imports this module before
Django is set up.
"""

import json
import logging
from datetime import UTC, datetime

# What every LogRecord has; anything else on a record was passed as ``extra`` and is kept.
_RECORD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", logging.INFO, "", 0, "", None, None)).keys()
) | {"message", "asctime", "request_id", "request"}

# gunicorn's access log hands its values as a dict of "atoms" (gunicorn.glogging.Logger.atoms);
# these become the line's fields.
_ACCESS_ATOMS = {
    "remote_addr": "h",
    "forwarded_for": "{x-forwarded-for}i",
    "method": "m",
    "path": "U",
    "query": "q",
    "status_code": "s",
    "bytes": "B",
    "user_agent": "a",
    "request_id": "{x-request-id}o",
}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            entry.update(_access_fields(record.args))
        else:
            entry["message"] = record.getMessage()
            entry["request_id"] = getattr(record, "request_id", "-")
            for name, value in vars(record).items():
                if name not in _RECORD_ATTRIBUTES and not name.startswith("_"):
                    entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _access_fields(atoms: dict) -> dict:
    def atom(key: str):
        value = atoms.get(key)
        # gunicorn escapes quotes for its text format; JSON escapes them itself.
        return value.replace('\\"', '"') if isinstance(value, str) else value

    fields = {name: atom(key) for name, key in _ACCESS_ATOMS.items()}
    if isinstance(fields["status_code"], str) and fields["status_code"].isdigit():
        fields["status_code"] = int(fields["status_code"])
    fields["duration_ms"] = round(atoms["D"] / 1000, 1) if "D" in atoms else None
    fields["message"] = f"{fields['method']} {fields['path']} {fields['status_code']}"
    return {name: value for name, value in fields.items() if value not in (None, "-", "")}
