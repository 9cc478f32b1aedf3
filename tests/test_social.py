"""Sharing meta tags (Open Graph, Twitter card) and the template that renders them."""

from __future__ import annotations

from pathlib import Path

import jinja2
from bs4 import BeautifulSoup
from dangjian_column.publishing.social import social_meta

PROJECT = Path(__file__).resolve().parents[1]
ARGS = ("支部“七一”双联 <b>&</b>", "摘要", "https://e.gov.cn/dangjian/stories/2025/x/")


def test_with_image_a_large_card():
    meta = social_meta(*ARGS, "https://e.gov.cn/dangjian/media/x.jpg", "党建品牌专栏")
    as_dict = {key: (attr, value) for attr, key, value in meta}
    assert as_dict["og:title"] == ("property", ARGS[0])
    assert as_dict["og:description"] == ("property", "摘要")
    assert as_dict["og:url"] == ("property", ARGS[2])
    assert as_dict["og:image"] == ("property", "https://e.gov.cn/dangjian/media/x.jpg")
    assert as_dict["og:type"] == ("property", "article")
    assert as_dict["og:site_name"] == ("property", "党建品牌专栏")
    assert as_dict["twitter:card"] == ("name", "summary_large_image")
    assert as_dict["twitter:image"] == ("name", "https://e.gov.cn/dangjian/media/x.jpg")
    assert {as_dict["twitter:title"][1], as_dict["twitter:description"][1]} == {ARGS[0], "摘要"}


def test_without_image_a_summary_card_and_no_image_tags():
    meta = social_meta(*ARGS, None, "党建品牌专栏", kind="website")
    keys = [key for _, key, _ in meta]
    assert "og:image" not in keys and "twitter:image" not in keys
    assert ("name", "twitter:card", "summary") in meta and ("property", "og:type", "website") in meta


def _render(column) -> BeautifulSoup:
    loader = jinja2.DictLoader({"base.html": "<head>{% block extrahead %}<meta name=base>{% endblock %}</head>",
                                "main.html": (PROJECT / "site_templates" / "main.html").read_text("utf-8")})
    env = jinja2.Environment(loader=loader, autoescape=False)  # as in MkDocs: the template escapes itself
    env.filters["url"] = lambda path: path
    context = {"config": {"site_name": "党建品牌专栏", "extra": {"preview": False}}}
    if column is not None:
        context["column"] = column
    return BeautifulSoup(env.get_template("main.html").render(**context), "lxml")


def test_main_template_renders_the_tags_escaped():
    soup = _render({"social": social_meta(*ARGS, None, "党建品牌专栏")})
    assert soup.find("meta", attrs={"name": "base"}) is not None  # super() kept
    title = soup.find("meta", attrs={"property": "og:title"})
    assert title["content"] == ARGS[0] and not soup.find("b")
    assert soup.find("meta", attrs={"name": "twitter:card"})["content"] == "summary"


def test_main_template_without_social_adds_nothing():
    for column in (None, {"kind": "home"}):
        assert [m.get("name") for m in _render(column).find_all("meta")] == ["base"]
