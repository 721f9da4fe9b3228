from django.http import HttpResponse
from django.views.generic import TemplateView


class EventListView(TemplateView):
    template_name = "events/event_list.html"


class EventDetailView(TemplateView):
    template_name = "events/event_detail.html"


def document_download(request, slug, pk, filename):
    return HttpResponse(status=404)
