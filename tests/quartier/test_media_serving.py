"""Uploaded images in development are served from the MEDIA_ROOT of the moment.

The route exists only when the URL configuration is imported with DEBUG on (`make run`; in
the test suite it depends on what imported it first), so the view is asked directly: it must
not keep the folder of the moment the URLs were imported, as ``static()`` does.
"""

from pathlib import Path

from django.http import Http404
from django.test import override_settings

from quartier.urls import media_serve


def served(rf, name: str) -> bytes:
    response = media_serve(rf.get(f"/media/{name}"), name)
    try:
        return b"".join(response.streaming_content)
    finally:
        # The file only: response.close() would also send request_finished, which closes the
        # process's database connections.
        response.file_to_stream.close()


def test_the_media_folder_is_read_at_each_request(rf, tmp_path: Path):
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        folder.mkdir()
        (folder / f"{folder.name}.txt").write_text(folder.name)

    with override_settings(MEDIA_ROOT=first):
        assert served(rf, "first.txt") == b"first"
    with override_settings(MEDIA_ROOT=second):
        assert served(rf, "second.txt") == b"second"
        try:
            media_serve(rf.get("/media/first.txt"), "first.txt")
        except Http404:
            pass
        else:
            raise AssertionError("a file of the former folder was served")
