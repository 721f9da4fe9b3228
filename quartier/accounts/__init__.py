"""Accounts of people who take part: how allauth behaves here, the pages under /konto/, and the
export and deletion of a person's data.

This is part of the site, not of the kernel: export and deletion reach into the actors' and the
events' data (through their queryset verbs and services).
"""
