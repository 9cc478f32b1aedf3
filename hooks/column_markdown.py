"""MkDocs' side of one Markdown converter per build (issue 13): MkDocs 1.6.1 makes a new one for every page."""

from __future__ import annotations

import logging
import os

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page


def share_converter() -> None:
    """MkDocs 1.6.1 sets up a new Markdown converter (every extension, every pattern) for each page: ~0.3 ms
    each, 4 s of CPU for 12,000 pages (issue 13). Page.render is replaced by the same steps on one converter
    per build, reset between pages (Python-Markdown's way to reuse one: every extension clears its state), with
    MkDocs' per-page processors registered afresh (the same name replaces the last page's). Other MkDocs
    versions keep their own render. tests/test_build_reuse.py compares every page with MkDocs' own render."""
    import mkdocs
    from mkdocs.structure import pages as mkdocs_pages

    if mkdocs.__version__ != "1.6.1" or getattr(Page.render, "dj_shared", False):
        return
    own_render = Page.render
    shared: list = [None, None]  # the config it was made for, the converter

    def render(self: Page, config: MkDocsConfig, files: Files) -> None:
        if os.environ.get("DANGJIAN_SHARED_MARKDOWN", "1") == "0":
            return own_render(self, config, files)
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        if shared[0] is not config:
            shared[:] = [config, mkdocs_pages.markdown.Markdown(extensions=config["markdown_extensions"],
                                                                extension_configs=config["mdx_configs"] or {})]
        md = shared[1].reset()
        raw_html_ext = mkdocs_pages._RawHTMLPreprocessor()
        raw_html_ext._register(md)
        extract_anchors_ext = mkdocs_pages._ExtractAnchorsTreeprocessor(self.file, files, config)
        extract_anchors_ext._register(md)
        relative_path_ext = mkdocs_pages._RelativePathTreeprocessor(self.file, files, config)
        relative_path_ext._register(md)
        extract_title_ext = mkdocs_pages._ExtractTitleTreeprocessor()
        extract_title_ext._register(md)
        self.content = md.convert(self.markdown)
        self.toc = mkdocs_pages.get_toc(getattr(md, "toc_tokens", []))
        self._title_from_render = extract_title_ext.title
        self.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
        if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
            self.links_to_anchors = relative_path_ext.links_to_anchors

    render.dj_shared = True
    Page.render = render
