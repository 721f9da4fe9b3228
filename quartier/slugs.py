"""Readable URL slugs for German names: umlauts are transliterated the German way."""

from django.utils.text import slugify

GERMAN_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
)


def german_slugify(text: str, max_length: int = 80) -> str:
    """``"Stiftung Großsiedlungen & Bürger"`` -> ``"stiftung-grosssiedlungen-buerger"``."""
    slug = slugify(text.translate(GERMAN_TRANSLITERATION))
    return slug[:max_length].strip("-")
