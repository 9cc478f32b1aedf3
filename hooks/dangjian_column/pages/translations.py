"""Material's interface labels (``lang.t("search.placeholder")``), each looked up once per build.

Material's ``partials/language.html`` is imported ``with context`` by every page, which Jinja cannot
cache: every page re-ran it, and each ``t(key)`` call built the language's whole table of ~90 labels as
a dict literal to read one of them (≈ 2 s of a 9,000-story build under the profiler, issue 13).
``site_templates/partials/language.html`` calls ``dj_t`` instead, which asks Material's own macros once
per key and keeps the answer, so every label is the text Material would have written.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup


def material_labels(env, language: str) -> Callable[[str], Markup]:
    """``t(key)`` as Material's language partial answers it: the language's label, else English's, else
    the key itself."""
    labels: dict[str, Markup] = {}
    tables = []

    def t(key: str) -> Markup:
        label = labels.get(key)
        if label is None:
            if not tables:  # the language files' own macros, loaded once (they need no page context)
                tables.extend(env.get_template(f"partials/languages/{name}.html").module
                              for name in (language, "en"))
            own, fallback = tables
            label = labels[key] = Markup(str(own.t(key)) or str(fallback.t(key)) or key)
        return label

    return t
