from django.contrib.syndication.views import Feed


class EventFeed(Feed):
    title = "TODO"
    link = "/veranstaltungen/"

    def items(self):
        return []


class DocumentationFeed(EventFeed):
    pass
