import datetime

import factory
from django.core.files.base import ContentFile

from projects.models import Project, ProjectDocument, ProjectPartner, ProjectPhoto, Publication
from quartier.media import photo_variants_create
from quartier.slugs import german_slugify
from tests.actors.factories import ActorFactory
from tests.events.factories import jpeg_bytes, pdf_bytes


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Quartiersprojekt {n}")
    slug = factory.LazyAttribute(lambda project: german_slugify(project.title))
    city = "Berlin"
    neighbourhood = "Wedding"
    status = Project.Status.RUNNING
    start = datetime.date(2021, 1, 1)
    summary = "Ein Projekt für eine lebendige Nachbarschaft."
    lead_actor = factory.SubFactory(ActorFactory)
    is_published = True

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.add(*extracted)

    @factory.post_generation
    def approaches(self, create, extracted, **kwargs):
        if create and extracted:
            self.approaches.add(*extracted)


class ProjectPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectPartner

    project = factory.SubFactory(ProjectFactory)
    actor = factory.SubFactory(ActorFactory)
    role = "Eigentümerin der Fläche"


class ProjectDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectDocument

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Projektbericht {n}")
    file = factory.LazyFunction(lambda: ContentFile(pdf_bytes(), name="projektbericht.pdf"))
    file_type = "pdf"
    file_size = factory.LazyAttribute(lambda document: document.file.size)


class ProjectPhotoFactory(factory.django.DjangoModelFactory):
    """A photo with its variants made, as the admin leaves it."""

    class Meta:
        model = ProjectPhoto
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    image = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(), name="projekt.jpg"))
    alt_text = "Ein bemalter Bauzaun im Quartier"
    caption = "Zwischennutzung einer Brache"
    credit = "© Projektteam"

    @factory.post_generation
    def variants(self, create, extracted, **kwargs):
        if create and extracted is not False:
            photo_variants_create(photo=self)


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication

    title = factory.Sequence(lambda n: f"Abschlussbericht {n}")
    slug = factory.LazyAttribute(lambda publication: german_slugify(publication.title))
    summary = "Was die Initiative erreicht hat."
    published_on = datetime.date(2021, 3, 1)
    is_published = True
    file = factory.LazyFunction(lambda: ContentFile(pdf_bytes(), name="abschlussbericht.pdf"))
    file_type = "pdf"
    file_size = factory.LazyAttribute(lambda publication: publication.file.size)
