"""Reading the Sphinx-style docstrings the SDK generator writes.

The SDK documents each parameter as ``:param name: text`` (and ``:keyword``,
``:ivar``, ``:type``, ``:vartype`` ...), wrapping long text onto lines indented by one
more space. These helpers turn that into plain, single-line strings.
"""

import re

# A field line: ":param name: text", ":keyword name: text", ":rtype: text", ...
_FIELD = re.compile(r"^:(\w+)(?: (\w+))?:\s?(.*)$")


# The generator appends lint pragmas to over-long docstring lines; they are not text.
_PRAGMA = re.compile(r"\s*# pylint: disable=[\w-]+")


def _unwrap(lines):
    """Joins wrapped lines into one string with single spaces."""
    return " ".join(_PRAGMA.sub("", part).strip() for part in lines if part.strip())


def summary(doc):
    """The text before the first field, as one string (paragraphs joined by a blank line)."""
    if not doc:
        return ""
    paragraphs, current = [], []
    for line in doc.strip().splitlines():
        stripped = line.strip()
        if _FIELD.match(stripped) or stripped.startswith(".. "):
            break
        if stripped:
            current.append(_PRAGMA.sub("", stripped))
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    # The generator adds a boilerplate line about read-only fields to many models; it
    # says nothing about the model itself, so it is left out of the summary.
    boilerplate = "Variables are only populated by the server, and will be ignored when sending a request."
    boilerplate_all = "All required parameters must be populated in order to send to server."
    paragraphs = [p for p in paragraphs if p not in (boilerplate, boilerplate_all)]
    return "\n\n".join(paragraphs)


def fields(doc):
    """Maps (kind, name) to text for every field, e.g. ("param", "top") -> "Number of ...".

    Fields without a name (":rtype:", ":return:") use the name None.
    """
    result = {}
    if not doc:
        return result
    key, lines = None, []
    for line in doc.splitlines():
        stripped = line.strip()
        match = _FIELD.match(stripped)
        if match:
            if key:
                result[key] = _unwrap(lines)
            kind, name, text = match.groups()
            key, lines = (kind, name), [text]
        elif key and stripped:
            lines.append(stripped)
        elif key:
            # A blank line ends the field.
            result[key] = _unwrap(lines)
            key, lines = None, []
    if key:
        result[key] = _unwrap(lines)
    return result


def named(doc, kind):
    """The fields of one kind (e.g. "param") as {name: text}."""
    return {name: text for (k, name), text in fields(doc).items() if k == kind and name}
