from django.http import HttpResponse


def all_events_calendar(request):
    return HttpResponse(status=404)


def event_calendar(request, slug):
    return HttpResponse(status=404)
