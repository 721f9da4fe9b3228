"""quartier/ points one way: the apps build on its kernel, and the kernel imports no app.

quartier/ holds two kinds of module. The kernel (models, media, mail, tokens, slugs, filters,
forms, rate limits, maps, downloads, links, admin helpers, Markdown, middleware, template tags,
the search engine, …) is what actors, events and projects import; if it imported them in turn,
every app would depend on every other. The site composes the apps (URLs, home, search, accounts,
demo data) and may import them. The site is named below, each part with its reason; every other
module, a new one included, is kernel.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("actors", "events", "projects")

# Modules (or packages, with everything in them) of the site, which may import the apps.
SITE = {
    "quartier.urls": "includes the apps' URLs and composes their sitemaps",
    "quartier.site": "the pages made of several apps (home, image credits, search) and the "
    "result groups of the site search",
    "quartier.accounts": "a person's account shows, exports and deletes their applications and "
    "registrations",
    "quartier.management.commands.load_demo": "loads the demo data of every app",
    "quartier.management.commands.purge_personal_data": "runs the apps' retention services",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {
    module_name(path): path
    for path in sorted((ROOT / "quartier").rglob("*.py"))
    if "__pycache__" not in path.parts
}


def imported_modules(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every module the source imports, at the top or inside functions, relative ones resolved."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                imported = ".".join([*base, node.module] if node.module else base)
            else:
                imported = node.module
            names.add(imported)
            # "from quartier import maps" imports the module quartier.maps.
            names.update(f"{imported}.{alias.name}" for alias in node.names)
    return names


def imported_apps(module: str) -> set[str]:
    path = MODULES[module]
    names = imported_modules(
        path.read_text(encoding="utf-8"), module, is_package=path.name == "__init__.py"
    )
    return {name.split(".")[0] for name in names} & set(APPS)


def is_site(module: str) -> bool:
    return any(module == name or module.startswith(f"{name}.") for name in SITE)


@pytest.mark.parametrize("module", sorted(module for module in MODULES if not is_site(module)))
def test_the_kernel_imports_no_app(module):
    apps = imported_apps(module)
    assert not apps, (
        f"{module} imports {', '.join(sorted(apps))}. The apps build on this module: let the app "
        "declare what it needs (a queryset verb, a search or sitemap class), or, if the module "
        "composes the site, move it there and name it in SITE with its reason."
    )


@pytest.mark.parametrize("name", sorted(SITE))
def test_each_part_of_the_site_exists_and_imports_an_app(name):
    """The list stays as short as the site: what no longer imports an app is kernel again."""
    modules = [module for module in MODULES if module == name or module.startswith(f"{name}.")]
    assert modules, f"{name} does not exist"
    assert any(imported_apps(module) for module in modules), f"{name} imports no app"


def test_the_search_engine_imports_no_app():
    assert not is_site("quartier.search")
    assert not imported_apps("quartier.search")


@pytest.mark.parametrize(
    ("source", "module", "expected"),
    [
        ("from actors.models import Actor", "quartier.media", "actors.models"),
        ("import events.models", "quartier.media", "events.models"),
        ("def f():\n    from projects import demo\n", "quartier.media", "projects.demo"),
        ("from .search import site_search", "quartier.site.views", "quartier.site.search"),
        ("from ..search import MAX", "quartier.site.views", "quartier.search"),
        ("from . import views", "quartier.site", "quartier.site.views"),
    ],
)
def test_imports_are_read_wherever_they_are(source, module, expected):
    is_package = module == "quartier.site"
    assert expected in imported_modules(source, module, is_package=is_package)


def _sitemap_class(sitemap) -> type:
    return sitemap if isinstance(sitemap, type) else type(sitemap)


@pytest.mark.parametrize("app", APPS)
def test_each_app_owns_its_sitemaps(app):
    from quartier.sitemaps import PortalSitemap
    from quartier.urls import sitemaps

    assert (ROOT / app / "sitemaps.py").is_file()
    classes = [_sitemap_class(sitemap) for sitemap in sitemaps.values()]
    assert f"{app}.sitemaps" in {cls.__module__ for cls in classes}
    # Every sitemap lists both languages with addresses on PORTAL_BASE_URL.
    assert all(issubclass(cls, PortalSitemap) for cls in classes)


@pytest.mark.parametrize("app", APPS)
def test_each_app_declares_what_of_it_is_searched(app):
    from quartier.site.search import GROUPS

    modules = {type(kind).__module__ for group in GROUPS for kind in group.kinds}
    assert f"{app}.search" in modules
    assert modules <= {f"{name}.search" for name in APPS}
