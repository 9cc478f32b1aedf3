"""Open Graph and Twitter-card meta tags, so a shared link shows the story's title, summary and cover."""

from __future__ import annotations

Meta = tuple[str, str, str]  # (attribute name: "property" or "name", key, value)


def social_meta(title: str, description: str, page_url_abs: str, image_url_abs: str | None, site_name: str,
                kind: str = "article") -> list[Meta]:
    """The tags in order; the template renders each as ``<meta {attr}="{key}" content="{value}">``.

    Values are plain text: the template escapes them (``|e``), nothing here is HTML.
    """
    meta: list[Meta] = [
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", page_url_abs),
        ("property", "og:type", kind),
        ("property", "og:site_name", site_name),
    ]
    if image_url_abs:
        meta.append(("property", "og:image", image_url_abs))
    meta += [
        ("name", "twitter:card", "summary_large_image" if image_url_abs else "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ]
    if image_url_abs:
        meta.append(("name", "twitter:image", image_url_abs))
    return meta
