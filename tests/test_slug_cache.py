"""Title slugs are kept between builds in .cache/slugs.json, keyed by the title and the slug rule (issue 13)."""

from __future__ import annotations

import json

import pytest
from dangjian_column.content import slugs
from dangjian_column.content.slugs import SLUG_CACHE, load_slug_cache, save_slug_cache, slugify


@pytest.fixture(autouse=True)
def fresh_memory(monkeypatch):
    monkeypatch.setattr(slugs, "_SLUGS", {})
    monkeypatch.setattr(slugs, "_used", None)
    monkeypatch.setattr(slugs, "_on_disk", set())


def forget_in_memory(monkeypatch):
    monkeypatch.setattr(slugs, "_SLUGS", {})


def test_a_second_build_takes_its_slugs_from_the_cache(tmp_path, monkeypatch):
    load_slug_cache(tmp_path)
    made = [slugify("重走地质路 2025"), slugify("区调一支部开展主题党日活动")]
    save_slug_cache(tmp_path)
    data = json.loads((tmp_path / SLUG_CACHE).read_text(encoding="utf-8"))
    assert sorted(data["slugs"].values()) == sorted(made) and made[0] == "chong-zou-di-zhi-lu-2025"

    forget_in_memory(monkeypatch)
    monkeypatch.setattr(slugs, "_slugify", lambda text, max_length: pytest.fail(f"pypinyin asked for {text}"))
    load_slug_cache(tmp_path)
    assert [slugify("重走地质路 2025"), slugify("区调一支部开展主题党日活动")] == made


def test_only_the_titles_of_this_build_are_written(tmp_path):
    load_slug_cache(tmp_path)
    slugify("旧标题")
    save_slug_cache(tmp_path)
    load_slug_cache(tmp_path)
    slugify("新标题")
    save_slug_cache(tmp_path)
    data = json.loads((tmp_path / SLUG_CACHE).read_text(encoding="utf-8"))
    assert list(data["slugs"].values()) == ["xin-biao-ti"]


def test_a_cache_made_under_another_rule_is_ignored(tmp_path, monkeypatch):
    (tmp_path / SLUG_CACHE).parent.mkdir(parents=True)
    (tmp_path / SLUG_CACHE).write_text(json.dumps({"rule": "older", "slugs": {"80:重走": "zhong-zou"}}), "utf-8")
    load_slug_cache(tmp_path)
    assert slugify("重走") == "chong-zou"


@pytest.mark.parametrize("content", ["", "{", "[]", '{"rule": 1, "slugs": []}'])
def test_an_unreadable_cache_is_ignored(tmp_path, content):
    (tmp_path / SLUG_CACHE).parent.mkdir(parents=True)
    (tmp_path / SLUG_CACHE).write_text(content, "utf-8")
    load_slug_cache(tmp_path)
    assert slugify("重走地质路") == "chong-zou-di-zhi-lu"
    save_slug_cache(tmp_path)
    assert json.loads((tmp_path / SLUG_CACHE).read_text("utf-8"))["slugs"] == {"80:重走地质路": "chong-zou-di-zhi-lu"}


def test_the_length_is_part_of_the_key():
    title = "党建引领地质找矿突破战略行动深入推进暨青年突击队野外驻地主题党日活动纪实报道"
    assert len(slugify(title, 20)) <= 20 < len(slugify(title))


def test_a_build_writes_the_cache(project):
    project.branch("dizhi-xianfeng")
    project.story("2025/a.md", title="重走地质路", date="2025-03-01", branch="dizhi-xianfeng")
    result = project.build()
    assert result.ok and (result.site / "stories" / "2025" / "chong-zou-di-zhi-lu" / "index.html").is_file()
    data = json.loads((project.root / SLUG_CACHE).read_text(encoding="utf-8"))
    assert data["slugs"]["80:重走地质路"] == "chong-zou-di-zhi-lu"


def test_the_remembering_converter_reads_as_pypinyin_does():
    """Every CJK character of the basic and extension-A blocks, pypinyin's phrases (every 7th) and titles."""
    import pypinyin
    from pypinyin.phrases_dict import phrases_dict

    def reference(text: str) -> list[str]:
        return pypinyin.lazy_pinyin(text, style=pypinyin.Style.NORMAL, errors="default", v_to_u=False)

    chars = [chr(c) for c in range(0x3400, 0x4DC0)] + [chr(c) for c in range(0x4E00, 0xA000)]
    texts = chars + list(phrases_dict)[::7] + ["重走地质路 2025", "测绘二支部启动“结对帮扶”党课进一线活动",
                                             "绿色勘查：女子钻探班组 ABC-12 号孔", "战略", "重访延安"]
    assert [t for t in texts if slugs.lazy_pinyin(t) != reference(t)] == []
