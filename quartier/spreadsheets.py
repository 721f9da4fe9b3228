"""Text going into and coming out of spreadsheets: formulas kept out, encodings told apart.

People type names and answers themselves, so every exported cell that a spreadsheet program could
read as a formula (starting with = + - @, a tab or a carriage return) gets a leading apostrophe
(OWASP's advice against CSV injection).

Files that staff bring in come from German Excel and other programs: UTF-8, UTF-8 with a byte
order mark, or Windows-1252 (what Excel saves as "CSV (Trennzeichen-getrennt)"), separated by
semicolons or commas.
"""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """The text as a spreadsheet shows it, never as a formula it runs."""
    value = "" if value is None else str(value)
    if value.startswith(FORMULA_PREFIXES):
        return f"'{value}"
    return value


def deneutralise(value: str) -> str:
    """The text as it was before ``neutralise()``: a file exported here reads back unchanged."""
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def decode_text_file(data: bytes) -> str:
    """The text of an uploaded file in UTF-8 (with or without byte order mark) or Windows-1252.

    Windows-1252 text with umlauts is almost never valid UTF-8, and valid UTF-8 is what a modern
    program writes, so trying UTF-8 first and falling back tells the two apart reliably.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def csv_delimiter(text: str) -> str:
    """Semicolon or comma, whichever separates the header line (German Excel uses ";")."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","
