"""The 专题 pages: the index of topics, each topic's paginated page (introduction first), and which
topics a story page links to."""

from __future__ import annotations

from dataclasses import dataclass

from dangjian_column.content.catalog import Catalog
from dangjian_column.model import Topic
from dangjian_column.pages import urls
from dangjian_column.pages.plans import PagePlan, common_context, listing_pages
from dangjian_column.pages.views import ViewBuilder

TOPICS_INDEX = urls.source_uri(urls.TOPICS)


@dataclass(frozen=True)
class TopicCard:
    slug: str
    url: str
    title: str
    description: str
    banner: str
    period: str  # "2026年4月—12月", "" when the topic has no date range
    story_count: int


def topic_cards(catalog: Catalog) -> list[TopicCard]:
    return [TopicCard(slug=t.slug, url=t.url, title=t.title, description=t.description, banner=t.banner,
                      period=period_label(t), story_count=len(catalog.by_topic.get(t.slug, ())))
            for t in catalog.topics.values()]


def period_label(topic: Topic) -> str:
    def day(d) -> str:
        return f"{d.year}年{d.month}月{d.day}日"
    if topic.start and topic.end:
        return f"{day(topic.start)}—{day(topic.end)}"
    if topic.start:
        return f"{day(topic.start)}起"
    if topic.end:
        return f"至{day(topic.end)}"
    return ""


def topic_pages(catalog: Catalog, views: ViewBuilder) -> list[PagePlan]:
    """Nothing at all without topics: an empty 专题 index would be a blank column (空白栏目)."""
    if not catalog.topics:
        return []
    cards = {card.slug: card for card in topic_cards(catalog)}
    plans = [PagePlan(TOPICS_INDEX, "专题", "column/topics.html",
                      {**common_context(catalog, "topics"), "topics": list(cards.values())})]
    for slug, topic in catalog.topics.items():
        # The explicit order is the editor's: pins do not reorder a topic.
        pages = listing_pages(catalog, views, catalog.by_topic[slug], topic.url, topic.title, "column/topic.html",
                              "topic", topic=cards[slug], feed=urls.rss_url(topic.url),
                              json_feed=urls.json_feed_url(topic.url),
                              widget=urls.widget_html_url(urls.topic_widget_folder(slug)), markdown=topic.body)
        plans.extend(pages)
    return plans


def story_topics(catalog: Catalog) -> dict[str, list[TopicCard]]:
    """Story src_uri -> the topics it is listed in, in topic order."""
    cards = {card.slug: card for card in topic_cards(catalog)}
    found: dict[str, list[TopicCard]] = {}
    for slug, stories in catalog.by_topic.items():
        for story in stories:
            found.setdefault(story.src_uri, []).append(cards[slug])
    return found
