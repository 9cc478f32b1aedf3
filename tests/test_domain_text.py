"""textstats and slugs: Chinese length, summaries and pinyin URLs (no MkDocs involved)."""

from __future__ import annotations

import pytest
from dangjian_column.content.slugs import MAX_SLUG_LENGTH, is_valid_slug, slugify
from dangjian_column.content.textstats import count_characters, plain_text, reading_minutes, summarize


def test_1180_chinese_characters_count_as_1180():
    sentence = "支部开展主题党日活动，全体党员重温入党誓词。"  # 20 Han characters, 2 punctuation marks
    text = sentence * 59
    assert len(text) == 1298
    assert count_characters(text) == 1180


@pytest.mark.parametrize(("text", "expected"), [
    ("", 0),
    ("，。！？“”《》、；：（）——……", 0),  # punctuation is not counted
    ("重走地质路", 5),
    ("学习 GB/T 7714 标准", 4 + 3),  # each Latin word or number counts one
    ("Party members' day", 3),
    ("3.14 与 2025-03-15", 1 + 2),  # "3.14" and "2025-03-15" are one token each
    ("\u3400\u4dbf\uf900", 3),  # CJK extension A and compatibility ideographs
    ("  \n\t ", 0),
])
def test_count_characters(text: str, expected: int):
    assert count_characters(text) == expected


def test_plain_text_drops_markup_but_keeps_link_text():
    markdown = (
        "## 活动现场\n\n"
        "全体党员**重温**入党誓词，参观了[地质博物馆](https://example.com)。\n\n"
        "![合影](img/a.jpg){ width=300 }\n\n"
        "<!-- 编辑备注：不发布 -->\n"
        "```\n代码块不算字\n```\n"
        "> 引用的话\n"
        "- 列表项\n"
        "<span>标签内</span>\n"
    )
    text = plain_text(markdown)
    assert text == "活动现场 全体党员重温入党誓词，参观了地质博物馆。 引用的话 列表项 标签内"
    assert count_characters(text) == 4 + 10 + 3 + 5 + 4 + 3 + 3


@pytest.mark.parametrize(("chars", "speed", "minutes"), [(0, 400, 1), (1, 400, 1), (400, 400, 1),
                                                          (401, 400, 2), (1180, 400, 3), (10, 0, 10)])
def test_reading_minutes(chars: int, speed: int, minutes: int):
    assert reading_minutes(chars, speed) == minutes


def test_summarize_short_text_is_unchanged():
    assert summarize("短短一句话。") == "短短一句话。"
    text = "字" * 110
    assert summarize(text) == text


def test_summarize_cuts_at_a_sentence_end_near_the_limit():
    first = "第一句" + "很" * 70 + "长。"  # 75 characters, past half of the limit
    text = first + "第二句" + "也" * 60 + "很长。"
    assert summarize(text) == first


def test_summarize_without_a_late_sentence_end_adds_ellipsis():
    text = "短句。" + "没有句号的长文字" * 20
    summary = summarize(text)
    assert summary.endswith("……")
    assert len(summary) <= 110 + 2
    assert text.startswith(summary[:-2])


def test_summarize_strips_trailing_commas_before_ellipsis():
    text = "甲" * 109 + "，" + "乙" * 50
    assert summarize(text) == "甲" * 109 + "……"


@pytest.mark.parametrize(("title", "slug"), [
    ("重走地质路", "chong-zou-di-zhi-lu"),
    ("重走地质路 2025", "chong-zou-di-zhi-lu-2025"),
    ("重要讲话精神学习", "zhong-yao-jiang-hua-jing-shen-xue-xi"),
    ("区调一支部开展主题党日活动", "qu-diao-yi-zhi-bu-kai-zhan-zhu-ti-dang-ri-huo-dong"),
    ("Hello World", "hello-world"),
    ("GIS 培训：第 3 期", "gis-pei-xun-di-3-qi"),
    ("“党建+”业务融合！", "dang-jian-ye-wu-rong-he"),
    ("绿色勘查", "lv-se-kan-cha"),
    ("  --  ", ""),
    ("！？。", ""),
])
def test_slugify(title: str, slug: str):
    assert slugify(title) == slug
    assert slug == "" or is_valid_slug(slug)


def test_slugify_caps_length_at_a_syllable_boundary():
    title = "地质调查院党委召开党建工作会议" * 5
    full = slugify(title, max_length=10_000)
    slug = slugify(title)
    assert len(slug) <= MAX_SLUG_LENGTH < len(full)
    assert full.startswith(slug + "-")  # cut between syllables, never inside one
    assert is_valid_slug(slug)
    assert slugify("zhuang zhuang zhuang", max_length=13) == "zhuang-zhuang"
    assert slugify("zhuang zhuang zhuang", max_length=12) == "zhuang"
    assert slugify("zhuangzhuang", max_length=5) == ""


@pytest.mark.parametrize(("slug", "valid"), [
    ("dizhi-xianfeng", True), ("a1-b2", True), ("2025", True),
    ("Dizhi", False), ("dizhi_xianfeng", False), ("-dizhi", False), ("dizhi-", False), ("a--b", False),
    ("地质", False), ("", False), ("a" * 100, True), ("a" * 101, False),
])
def test_is_valid_slug(slug: str, valid: bool):
    assert is_valid_slug(slug) is valid


def test_search_token_lists_record_documents_and_title_hits():
    import numpy as np
    from dangjian_column.publishing.search.encoding import decode, encode
    from dangjian_column.publishing.search.postings import build_token_lists

    numbers = np.array([0, 31, 32, 1023, 1024, 5_000_000])
    text, offsets = encode(numbers)
    assert decode(text) == numbers.tolist() and offsets.tolist() == [0, 1, 2, 4, 6, 9, 14]
    texts, titles = ["党课\n微党课进一线党课", "地质党课", "无关", "党课进一线"], [2, 2, 2, 0]

    def lists(arity):
        built = build_token_lists(texts, titles, arity)
        return {built.token(i): decode(built.docs[built.doc_cuts[i]:built.doc_cuts[i + 1]])
                for i in range(len(built.keys))}

    pairs, triples = lists(2), lists(3)
    # per document: (gap to the previous one - 1) << 1 | in its title
    assert pairs["党课"] == [1, 0, 2]  # doc 0 (title), doc 1 (body), doc 3 (body: its title is empty)
    assert pairs["课"] == [1, 0] and pairs["线"] == [6]  # a run's last character stands alone too
    assert "线党" in pairs and "课微" not in pairs  # pairs never cross a field or a punctuation mark
    assert triples["课进一"] == [0, 4] and triples["地质党"] == [3]
    assert "党课微" not in triples and "质党课" in triples
