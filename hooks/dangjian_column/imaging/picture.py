"""The responsive ``<picture>`` element for one processed image."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from .result import ProcessedImage, Rendition

DEFAULT_SIZES = "(min-width: 960px) 960px, 100vw"
FALLBACK_SRC_WIDTH = 960  # old browsers without srcset get a picture sharp enough for a phone


def picture_html(image: ProcessedImage, alt: str, url_for: Callable[[str], str], *,
                 sizes: str = DEFAULT_SIZES, css_class: str = "", lazy: bool = True, priority: bool = False) -> str:
    """WebP for browsers that take it, JPEG (PNG for transparent images) for the rest.

    ``width``/``height`` are the largest rendition's, so the browser reserves the right box before the
    photo arrives (no layout shift); CSS scales it down. ``priority``: the page's largest picture at the top
    (a story's cover, a topic's banner: the LCP element), fetched ahead of the lazy photos below it, which
    start as soon as the first layout puts them within the browser's load-in distance and would otherwise
    share the phone's bandwidth with it; and decoded for the frame that paints it (no ``decoding=async``).
    """
    fallback = image.fallback_format
    largest = image.largest(fallback)
    src = image.closest(FALLBACK_SRC_WIDTH, fallback)
    attrs = [
        ("src", url_for(src.site_path)),
        ("srcset", _srcset(image.by_format(fallback), url_for)),
        ("sizes", sizes),
        ("width", str(largest.width)),
        ("height", str(largest.height)),
        ("alt", alt),
    ]
    if lazy:
        attrs.append(("loading", "lazy"))
    if priority:
        attrs.append(("fetchpriority", "high"))
    else:
        attrs.append(("decoding", "async"))
    if css_class:
        attrs.append(("class", css_class))
    webp = image.by_format("webp")
    source = ""
    if webp:
        source = (f'<source type="image/webp" srcset="{escape(_srcset(webp, url_for))}" '
                  f'sizes="{escape(sizes)}">')
    img = "<img " + " ".join(f'{name}="{escape(value)}"' for name, value in attrs) + ">"
    return f"<picture>{source}{img}</picture>"


def _srcset(renditions: list[Rendition], url_for: Callable[[str], str]) -> str:
    return ", ".join(f"{url_for(r.site_path)} {r.width}w" for r in renditions)
