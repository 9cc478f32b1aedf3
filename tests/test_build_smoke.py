from conftest import SiteProject, story_titles


def test_branch_page_lists_its_stories_newest_first(project: SiteProject):
    project.branch("dizhi-xianfeng", brand="地质先锋")
    project.branch("zhaokuang", brand="找矿尖兵")
    project.story("2025/a.md", title="三月活动", date="2025-03-01", branch="dizhi-xianfeng")
    project.story("2025/b.md", title="五月活动", date="2025-05-01", branch="dizhi-xianfeng")
    project.story("2025/c.md", title="找矿活动", date="2025-04-01", branch="zhaokuang")
    result = project.build(strict=True)
    assert result.ok, result.messages
    assert story_titles(result.html("branches/dizhi-xianfeng/")) == ["五月活动", "三月活动"]
