"""allauth's texts that the portal shows, kept in the portal's own German catalogue.

allauth's German translation addresses people as „du“; the portal says „Sie“. Django looks up
a message in the catalogues of LOCALE_PATHS before those of the apps, so the entries for these
msgids in locale/de/LC_MESSAGES/django.po replace allauth's.

``make messages`` runs makemessages with ``--no-obsolete`` over the portal's sources only: a
msgid that appears only in allauth would be dropped from the catalogue as obsolete. Listing
them here, marked with ``gettext_noop``, keeps them. Each msgid must be exactly allauth's (see
``allauth/locale/de/LC_MESSAGES/django.po``); the test in tests/quartier/test_allauth_texts.py
checks that none of them reads „du“ in German.

The pages under /konto/ are the portal's own templates; what remains of allauth are the
messages after login, logout and confirmation and the errors of its forms and adapter.
"""

from django.utils.translation import gettext_noop

TEXTS = [
    # Errors of allauth's adapter (login, sign-up, password change, e-mail addresses).
    gettext_noop("You cannot remove your primary email address."),
    gettext_noop("Please type your current password."),
    gettext_noop("You cannot add more than %d email addresses."),
    gettext_noop("Too many failed login attempts. Try again later."),
    gettext_noop("Your primary email address must be verified."),
    gettext_noop("Username can not be used. Please use other username."),
    gettext_noop("Please select only one."),
    gettext_noop("Be patient, you are sending too many requests."),
    # Errors of allauth's forms (sign-up, password change and reset).
    gettext_noop("You must type the same password each time."),
    gettext_noop("You must type the same email each time."),
    # Messages shown after an action (templates/account/messages/ of allauth).
    gettext_noop("You cannot remove your primary email address (%(email)s)."),
    gettext_noop("You have confirmed %(email)s."),
    gettext_noop("You have signed out."),
]
