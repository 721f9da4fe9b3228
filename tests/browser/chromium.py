"""Where the browser tests find Chromium, and the check `make test` runs before pytest.

Playwright cannot download its own browser on these machines, so the tests drive the system
Chromium. `python -m tests.browser.chromium` exits 1 with instructions when there is none, unless
SKIP_BROWSER_TESTS=1 says to leave the browser tests out on purpose.
"""

import os
import shutil
import sys
from pathlib import Path

# Debian's real binary; /usr/bin/chromium is a wrapper script that prints a shell warning.
DEBIAN_CHROMIUM = "/usr/lib/chromium/chromium"

INSTALL_MESSAGE = (
    "The browser tests need Chromium, and none was found.\n"
    "  Install it: apt-get install chromium   (Debian/Ubuntu)\n"
    "  or point CHROMIUM_PATH at a Chromium or Chrome binary.\n"
    "To run the other tests without the browser tests, set SKIP_BROWSER_TESTS=1 "
    "(the browser tests are then skipped explicitly)."
)


def skip_requested() -> bool:
    return os.environ.get("SKIP_BROWSER_TESTS") == "1"


def _executable(path: str) -> bool:
    return Path(path).is_file() and os.access(path, os.X_OK)


def find_chromium() -> str | None:
    """The Chromium binary to use: CHROMIUM_PATH, Debian's binary, or one on the PATH."""
    configured = os.environ.get("CHROMIUM_PATH", "")
    if configured:
        return configured if _executable(configured) else None
    if _executable(DEBIAN_CHROMIUM):
        return DEBIAN_CHROMIUM
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def missing_message() -> str:
    """What to tell someone whose machine has no usable Chromium."""
    configured = os.environ.get("CHROMIUM_PATH", "")
    if configured:
        return f"CHROMIUM_PATH={configured} is not an executable file.\n{INSTALL_MESSAGE}"
    return INSTALL_MESSAGE


def main() -> int:
    if skip_requested():
        print("SKIP_BROWSER_TESTS=1: the browser tests will be skipped.")  # noqa: T201
        return 0
    if find_chromium() is None:
        print(missing_message(), file=sys.stderr)  # noqa: T201
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
