"""Signed links in e-mails (double opt-in, cancel without login).

A token names one object and what it may do with it ("confirm", "cancel"); it is signed with
SECRET_KEY, so it cannot be guessed or changed, and carries its time of issue for expiry.
Whether a link was used already is told by the object's state, not by the token.

Views go from a link to its object with ``object_from_token``; they tell three cases apart: a
link that is not genuine (``InvalidToken``), a genuine one that is too old (``InvalidToken`` with
``expired`` set, and the object, so that a page can say it was used in time), and a genuine
one whose object is gone or no longer to be reached (``None``).
"""

from django.core import signing
from django.db import models


class InvalidToken(Exception):
    """The token is forged, damaged, for another purpose, or expired (see ``expired``).

    An expired token carries the object it names in ``instance`` (None when it is gone).
    """

    def __init__(self, *, expired: bool = False, instance: models.Model | None = None):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired
        self.instance = instance


def token_for(purpose: str, pk: int) -> str:
    return signing.dumps(pk, salt=f"quartier.tokens.{purpose}", compress=False)


def object_pk_from(purpose: str, token: str, *, max_age_seconds: int | None = None) -> int:
    """The primary key the token names; raises InvalidToken."""
    try:
        pk = signing.loads(token, salt=f"quartier.tokens.{purpose}", max_age=max_age_seconds)
    except signing.SignatureExpired as error:
        raise InvalidToken(expired=True) from error
    except signing.BadSignature as error:
        raise InvalidToken() from error
    if not isinstance(pk, int):
        raise InvalidToken()
    return pk


def object_from_token(
    queryset: models.QuerySet,
    *,
    purpose: str,
    token: str,
    max_age_seconds: int | None = None,
) -> models.Model | None:
    """The object of ``queryset`` that a genuine token for ``purpose`` names, or None when the
    queryset has none by that key (deleted, or excluded by the caller's filter).

    Raises InvalidToken for a token that is not genuine, and with ``expired`` set (and the
    object attached) for one older than ``max_age_seconds``.
    """
    try:
        pk = object_pk_from(purpose, token, max_age_seconds=max_age_seconds)
    except InvalidToken as error:
        if not error.expired:
            raise
        pk = object_pk_from(purpose, token)
        raise InvalidToken(expired=True, instance=queryset.filter(pk=pk).first()) from error
    return queryset.filter(pk=pk).first()
