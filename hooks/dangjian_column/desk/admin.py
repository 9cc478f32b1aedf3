"""The /admin/ page: Decap CMS (vendored, no CDN) with the generated config, in Chinese."""

from __future__ import annotations

import html
from pathlib import Path

DECAP_VERSION = "3.16.3"
VENDOR_DIR = Path(__file__).parent / "vendor" / "decap-cms"
DESK_ENV = "DANGJIAN_DESK_URL"  # set by `dangjian serve` for MkDocs: where the desk listens
ADMIN_DIR = "admin"
SLUG_PATH = "/api/slug"  # GET ?title=… → {"slug": …}, the rule `dangjian new story` uses

ADMIN_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>写稿台 · {title}</title>
</head>
<body>
  <script>window.CMS_MANUAL_INIT = true;</script>
  <script src="decap-cms.js?v={version}"></script>
  <script>
    // 网址名: empty until the writer reaches it, then the pinyin of the title, made by the same rule as
    // `dangjian new story` (content/slugs.py, asked of the desk server: pinyin is Python's job here).
    var SlugControl = createClass({{
      fill: function () {{
        var props = this.props;
        // the form's own title field: the entry prop holds the saved entry, not what is being typed
        var field = document.querySelector('[id^="title-field-"]');
        var title = field ? field.value.trim() : "";
        if (props.value || !title) return;
        fetch("{slug_path}?title=" + encodeURIComponent(title)).then(function (r) {{ return r.json(); }})
          .then(function (made) {{ if (!props.value && made.slug) props.onChange(made.slug); }});
      }},
      render: function () {{
        var self = this;
        return h("input", {{
          id: this.props.forID, className: this.props.classNameWrapper, type: "text",
          value: this.props.value || "", onFocus: function () {{ self.fill(); }},
          onChange: function (e) {{ self.props.onChange(e.target.value); }}
        }});
      }}
    }});
    CMS.registerWidget("dj-slug", SlugControl);
    fetch("config.json").then(function (r) {{ return r.json(); }}).then(function (config) {{
      CMS.init({{ config: config }});
    }});
  </script>
</body>
</html>
"""

REDIRECT_PAGE = """<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="robots" content="noindex"><title>写稿台</title>
<meta http-equiv="refresh" content="0; url={url}"></head>
<body><p>正在打开写稿台：<a href="{url}">{url}</a></p></body>
</html>
"""


def admin_page(title: str) -> str:
    return ADMIN_PAGE.format(title=html.escape(title), version=DECAP_VERSION, slug_path=SLUG_PATH)


def redirect_page(desk_url: str) -> str:
    """What MkDocs' preview serves at /admin/: MkDocs injects its live-reload script into every page
    it serves, which would reload the editor on each rebuild, so the desk itself is served by the
    desk server and the preview's /admin/ only leads there."""
    return REDIRECT_PAGE.format(url=html.escape(desk_url, quote=True))


def vendor_file(name: str) -> Path | None:
    """A file of the vendored bundle by its bare name, or None (no paths, no other files)."""
    if "/" in name or "\\" in name or name.startswith("."):
        return None
    path = VENDOR_DIR / name
    return path if path.suffix in (".js", ".wasm") and path.is_file() else None
