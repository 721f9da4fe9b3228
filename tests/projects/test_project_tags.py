"""When a project runs, as its card and its page write it: each end in a <time datetime>."""

import datetime

import pytest
from django.template import engines
from django.utils import translation

from projects.models import Project


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"start": datetime.date(2021, 3, 1), "end": datetime.date(2023, 6, 30)},
            '<time datetime="2021">2021</time>–<time datetime="2023">2023</time>',
        ),
        (
            {"start": datetime.date(2021, 3, 1), "end": datetime.date(2021, 6, 30)},
            '<time datetime="2021-03">März</time>–<time datetime="2021-06">Juni 2021</time>',
        ),
        (
            {"start": datetime.date(2021, 3, 1), "status": "running"},
            '<time datetime="2021-03">seit März 2021</time>',
        ),
        (
            {"start": datetime.date(2027, 5, 1), "status": "planned"},
            '<time datetime="2027-05">ab Mai 2027</time>',
        ),
        (
            {"start": datetime.date(2019, 5, 1), "status": "completed"},
            '<time datetime="2019-05">begonnen im Mai 2019</time>',
        ),
        ({"end": datetime.date(2023, 6, 30)}, '<time datetime="2023-06">bis Juni 2023</time>'),
        ({}, ""),
    ],
)
def test_period(fields, expected):
    project = Project(**fields)
    template = engines["django"].from_string("{% load project_tags %}{% project_period project %}")
    with translation.override("de"):
        assert template.render({"project": project}) == expected
