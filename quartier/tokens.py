"""Signed links in e-mails (double opt-in, cancel without login).

A token names one object and what it may do with it ("confirm", "cancel"); it is signed with
SECRET_KEY, so it cannot be guessed or changed, and carries its time of issue for expiry.
Whether a link was used already is told by the object's state, not by the token.
"""

from django.core import signing


class InvalidToken(Exception):
    """The token is forged, damaged, for another purpose, or expired (see ``expired``)."""

    def __init__(self, *, expired: bool = False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


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
