"""The site: the pages that compose the apps (home, search, image credits) and how the site
search groups what each app declares searchable.

Unlike the rest of ``quartier/`` (the kernel the apps build on), modules here import the apps.
"""
