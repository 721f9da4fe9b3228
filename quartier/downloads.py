"""Serving stored documents to visitors: the one place that decides the response's headers.

Documents live in the private documents storage (no public address); a view finds the document,
checks that the address is the document's own, and hands it to ``serve_document``.
"""

from django.http import FileResponse, Http404

from .media import PublicDocument

# Shown in the browser: PDF. Everything else is saved: an office file opened inline is a
# download in disguise, and nothing uploaded should ever be rendered in the portal's origin.
INLINE_TYPES = frozenset({"pdf"})


def serve_document(request, document: PublicDocument, *, is_public: bool) -> FileResponse:
    """The document's file as a response; 404 unless the public may see it or an editor asks.

    ``is_public`` says whether what the document belongs to is published. The caller checks
    the file name in the address (``document.download_name``) before.
    """
    if not (is_public or request.user.is_staff):
        raise Http404
    try:
        file = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        file,
        content_type=document.content_type,
        as_attachment=document.file_type not in INLINE_TYPES,
        filename=document.download_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Even a PDF shown inline runs in a sandbox: no scripts, no forms, no access to the origin.
    response["Content-Security-Policy"] = "sandbox"
    return response
