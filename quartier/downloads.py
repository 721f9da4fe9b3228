"""Serving stored documents to visitors: one view, the one place that decides the headers.

Documents live in the private documents storage (no public address). An app configures
``DocumentDownloadView`` with its documents and those the public may download; the view
finds the document, checks that the address names the document's own file, and serves it.
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views import View

from .publishing import may_preview

# Shown in the browser: PDF. Everything else is saved: an office file opened inline is a
# download in disguise, and nothing uploaded should ever be rendered in the portal's origin.
INLINE_TYPES = frozenset({"pdf"})


class DocumentDownloadView(View):
    """One document's file; 404 unless the public may see it or an editor may preview it.

    ``queryset`` holds every document of the kind, ``public_queryset`` those the public may
    download (the app's ``public()`` verb), ``lookups`` maps the URL's keyword arguments
    (besides ``filename``) to the fields they name. Editors are those whom ``may_preview``
    lets see drafts of the document's model, as on the pages; what only they may fetch is
    kept from caches, as a draft's page is.
    """

    http_method_names = ["get", "head"]
    queryset = None
    public_queryset = None
    lookups: dict[str, str] = {}

    def get_queryset(self):
        if self.editor:
            return self.queryset.all()
        return self.public_queryset.all()

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.editor = may_preview(request.user, self.queryset.model)

    def get(self, request, *, filename, **kwargs):
        document = get_object_or_404(
            self.get_queryset(), **{field: kwargs[name] for name, field in self.lookups.items()}
        )
        if filename != document.download_name:
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
        if self.editor and not self.public_queryset.filter(pk=document.pk).exists():
            patch_cache_control(response, private=True, no_store=True)
        return response
