"""Generate a large synthetic column project for benchmarks.

The project has the same shape as the repository: ``mkdocs.yml`` (hooks and templates point back at
this repository by absolute path, as ``tests/conftest.py`` does), ``column.yml``, ``branches/<slug>/``
profiles with a logo, and ``content/stories/<year>/*.md`` stories with YAML front matter.

Story text is Chinese, 300–3,000 characters, assembled with a seeded RNG from a few hundred generated
sentences, so every run with the same arguments writes byte-identical files.

Photos stay light: one small shared JPEG (generated once with Pillow) is copied into the photo folder
of the stories that have a cover (``--cover-share``, default 10 % of stories); those stories also show
it once in the body. Every branch gets a copy of one small shared PNG logo.

Usage::

    .venv/bin/python bench/generate_corpus.py /tmp/corpus --branches 150 --stories-per-branch 60
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "hooks"))  # the project is installed editable; this also works without it

from dangjian_column.content.slugs import slugify  # noqa: E402  (URL uniqueness uses the project's own rule)

TODAY = dt.date(2026, 11, 26)
FIRST_DAY = dt.date(2023, 1, 1)
SEED = 20261126

# --- vocabularies ---------------------------------------------------------------------------------

PARENTS = ["区域地质调查所", "矿产勘查院", "水文地质工程地质队", "地球物理勘查队", "地球化学勘查所", "测绘院",
           "实验测试中心", "信息中心", "地质环境监测站", "第一地质大队", "第二地质大队", "第三地质大队",
           "第四地质大队", "第五地质大队", "机关", "后勤服务中心", "地质博物馆", "钻探工程公司",
           "遥感中心", "规划研究院"]
CATEGORIES = ["项目一线", "科研技术", "机关职能", "后勤服务", "离退休"]
BRAND_A = ["地质", "找矿", "匠心", "青山", "山野", "红心", "探源", "铁脚", "星火", "先锋", "清泉", "磐石",
           "金钥", "银锤", "岩心", "绿野", "赤诚", "砺金", "丹心", "木铎"]
BRAND_B = ["先锋", "尖兵", "精测", "卫士", "红旗", "灯塔", "堡垒", "引擎", "领航", "之家", "铁军", "火炬",
           "号角", "阵地", "桥梁", "纽带", "苗圃", "港湾"]
SLOGAN_A = ["把支部建在项目上", "让党旗在一线飘扬", "用脚步丈量大地", "以匠心守护精度", "守护绿水青山",
            "把服务做到心坎上", "让每一块岩心都有温度", "在最难的路线上留下第一串脚印"]
SLOGAN_B = ["把党员练成尖兵", "把初心写在山河间", "把责任扛在肩膀上", "把数据做成铁证", "把群众放在心中",
            "把青年带成骨干"]
NUMERALS = ["第一", "第二", "第三", "第四", "第五", "第六", "第七", "第八", "第九", "第十"]

TAGS = ["红色教育", "野外一线", "青年党员", "理论学习", "志愿服务", "安全生产", "科技创新", "找矿突破",
        "生态保护", "乡村振兴", "廉洁文化", "党风廉政", "技能比武", "知识竞赛", "结对共建", "主题教育",
        "师徒结对", "地质科普", "防灾减灾", "应急救援", "民族团结", "为民服务", "党史学习", "先锋岗",
        "示范岗", "公开承诺", "读书分享", "微党课", "教育片", "专题研讨", "调研走访", "帮扶慰问",
        "文明创建", "健康关爱", "实验测试", "数字地质", "档案资料", "老党员", "新党员", "党建品牌"]

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁")
GIVEN = list("晓明强伟芳娜敏静丽军勇杰涛磊超鹏华平刚桂英玉兰秀云志国建文海波宁佳怡欣然子涵浩宇俊峰思远雪梅")

SUBJECTS = ["支部全体党员", "青年党员", "入党积极分子", "支委委员", "老党员", "项目临时党小组", "党员骨干",
            "支部书记", "技术负责人", "新入职的大学生", "离退休党员代表", "党小组长", "结对支部的同志们",
            "一线技术人员", "团员青年"]
PEOPLE = ["党员", "青年党员", "入党积极分子", "党员干部", "团员青年", "干部职工", "老党员", "技术骨干"]
ACTIONS = ["认真学习了", "集中研讨了", "现场观摩了", "逐条对照了", "分组讨论了", "重温了", "系统梳理了",
           "深入交流了", "实地察看了", "共同回顾了", "重点解读了", "结合实际讲述了", "逐项检查了",
           "围绕主题分享了", "交流体会了"]
OBJECTS = ["党章党规的有关条文", "党的创新理论", "老一辈地质工作者的奋斗历程", "本年度找矿工作的重难点",
           "野外安全生产的各项规定", "廉洁从业的典型案例", "支部品牌创建的经验做法", "项目质量管理的关键环节",
           "地质灾害防治的最新要求", "生态保护红线的管理规定", "入党誓词", "青年人才培养计划",
           "实验测试数据的质量要求", "地质资料汇交的流程", "科技创新成果的转化应用", "为民服务的具体举措",
           "党课讲稿的提纲", "教育片中的感人片段", "结对共建的年度计划", "基层党建的重点任务"]
CLOSINGS = ["大家纷纷表示收获很大。", "与会党员深受触动。", "现场气氛热烈。", "大家一致认为很有针对性。",
            "不少同志当场写下了心得。", "支部将把这些做法固化下来。", "党员们表示要把学习成果转化为工作动力。",
            "参与的同志都说受益匪浅。", "活动取得了预期效果。", "大家表示今后还要常学常新。"]
PLACES = ["项目驻地", "党员活动室", "野外剖面前", "岩心库", "实验楼会议室", "社区党群服务中心",
          "地质博物馆", "革命纪念馆", "钻探机台旁", "矿区工作站", "乡村小学", "结对单位会议室"]
TIMES = ["近日", "日前", "本月初", "月中", "上周", "周末", "活动当天", "当天上午", "当天下午", "收队前夕"]
FREE = [
    "这堂党课由支部书记亲自讲授，结合项目一线的真实故事，讲得生动具体。",
    "为了讲好这堂党课，青年党员提前两周查阅资料、走访老党员。",
    "党课结束后，大家围绕“如何在岗位上发挥先锋作用”展开讨论。",
    "支部把党课讲稿整理成册，供其他党小组学习使用。",
    "一名老党员说：“我们那时候条件艰苦，但心里有一团火。”",
    "青年队员表示，要把老一辈的精神带到每一条野外路线上去。",
    "活动结束后，支部把大家的发言整理成简报报送院党委。",
    "现场还设置了知识问答环节，答对的同志获得了学习笔记本。",
    "支部书记要求大家把学习和业务结合起来，不搞两张皮。",
    "这次活动也是支部年度党建品牌创建计划中的一项重点内容。",
    "在安全教育环节，技术负责人逐项讲解了野外作业的风险点。",
    "结对双方约定每季度开展一次联学联建活动，互相交流经验。",
    "社区的同志对地质科普很感兴趣，提出希望以后多来讲讲。",
    "通过这次实践，不少党员对自身岗位职责有了更深的认识。",
    "支部还为困难党员送去了慰问品，把组织的温暖送到家里。",
    "大家在党旗下庄严宣誓，声音洪亮，场面庄重。",
    "活动中，支委委员就群众反映的问题逐一作了答复。",
    "青年党员用短视频记录了活动过程，在单位公众号上发布。",
    "专家结合案例，讲解了找矿新理论和新方法在实际项目中的应用。",
    "考核测试环节，参加人员的平均成绩比上次提高了不少。",
]
HEADINGS = ["一堂党课", "走进一线", "学在日常", "重温初心", "以学促干", "青年有为", "薪火相传", "结对共建",
            "把党课讲到现场", "从学习到实践", "几点体会", "下一步打算", "老党员的嘱托", "新党员的心声",
            "党建与业务融合", "服务群众", "安全无小事", "守住底线", "科技攻关", "找矿突破",
            "生态优先", "为民办实事", "支部在行动", "一线掠影"]
TITLE_TOPICS = ["重走地质路", "岩心里的初心", "山河为卷", "党旗插在山头上", "青春在一线", "岩芯库里的党课",
                "找矿尖兵在行动", "守护绿水青山", "匠心测绘", "安全生产月", "廉洁从业", "红色足迹",
                "走进革命纪念馆", "地质科普进校园", "结对帮扶", "党员先锋岗", "师徒结对", "技能比武",
                "知识竞赛", "读书分享会", "专题研讨", "微党课比赛", "教育片观影", "防灾减灾宣传",
                "志愿服务进社区", "调研走访", "科技创新交流", "学习党章", "重温入党誓词", "主题征文"]
TITLE_VERBS = ["开展", "举办", "组织", "启动", "召开", "参加", "走进", "联合开展"]


@dataclass
class BranchSpec:
    slug: str
    name: str
    short_name: str
    brand: str


@dataclass
class CorpusStats:
    root: Path
    branches: int
    stories: int
    joint: int
    covers: int
    characters: int
    seconds: float
    photos_note: str


# --- small shared images ----------------------------------------------------------------------------

def _shared_jpeg() -> bytes:
    """A 480×320 picture (~15 KB): a gradient with some texture, like a compressed web photo."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(7)
    img = Image.new("RGB", (480, 320))
    draw = ImageDraw.Draw(img)
    for y in range(320):
        draw.line([(0, y), (480, y)], fill=(120 + y // 4, 150 + y // 6, 190 - y // 5))
    for _ in range(220):
        x, y, r = rng.randrange(480), rng.randrange(120, 320), rng.randrange(4, 30)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(rng.randrange(60, 140), rng.randrange(80, 150), 60))
    img = img.filter(ImageFilter.SMOOTH)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=70, optimize=True)
    return buf.getvalue()


def _shared_png() -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (128, 128), (0, 0, 0, 0))
    ImageDraw.Draw(img).ellipse([4, 4, 124, 124], fill=(198, 40, 40, 255))
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


# --- text ---------------------------------------------------------------------------------------------

def _sentence_pool(rng: random.Random, size: int = 400) -> list[str]:
    pool: set[str] = set(FREE)
    while len(pool) < size:
        form = rng.randrange(4)
        subject, action, obj = rng.choice(SUBJECTS), rng.choice(ACTIONS), rng.choice(OBJECTS)
        if form == 0:
            pool.add(f"{rng.choice(TIMES)}，{subject}在{rng.choice(PLACES)}{action}{obj}，{rng.choice(CLOSINGS)}")
        elif form == 1:
            pool.add(f"{subject}{action}{obj}，并结合岗位实际谈了认识和打算。")
        elif form == 2:
            n = rng.randrange(6, 60)
            pool.add(f"共有{n}名{rng.choice(PEOPLE)}参加，大家{action}{obj}。")
        else:
            pool.add(f"围绕{obj}，{subject}逐一发言，{rng.choice(CLOSINGS)}")
    return sorted(pool)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _body(rng: random.Random, pool: list[str], opening: str, target: int, image: str) -> str:
    parts = [opening]
    length = len(opening)
    paragraph: list[str] = []
    image_done = not image
    while length < target:
        sentence = rng.choice(pool)
        paragraph.append(sentence)
        length += len(sentence)
        if len(paragraph) >= rng.randrange(3, 7):
            parts.append("".join(paragraph))
            paragraph = []
            roll = rng.random()
            if roll < 0.22 and length < target - 150:
                parts.append(f"## {rng.choice(HEADINGS)}")
            elif roll < 0.30:
                parts.append("\n".join(f"- {rng.choice(pool)}" for _ in range(rng.randrange(2, 5))))
            elif not image_done and roll < 0.45:
                parts.append(f"![{rng.choice(HEADINGS)}]({image})")
                image_done = True
    if paragraph:
        parts.append("".join(paragraph))
    if not image_done:
        parts.append(f"![{rng.choice(HEADINGS)}]({image})")
    return "\n\n".join(parts) + "\n"


def _front_matter(fields: dict) -> str:
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=1000) + "---\n"


def _date(rng: random.Random) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=rng.randrange((TODAY - FIRST_DAY).days + 1))


# --- project ------------------------------------------------------------------------------------------

def write_project_config(root: Path) -> None:
    """mkdocs.yml and column.yml from the repository; hooks and templates by absolute path (as conftest)."""
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("- hooks/column_hooks.py", f"- {REPO / 'hooks' / 'column_hooks.py'}")
    config = config.replace("custom_dir: site_templates", f"custom_dir: {REPO / 'site_templates'}")
    config = config.replace("  - hooks\n", "")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copy(REPO / "column.yml", root / "column.yml")


def _kind_labels() -> list[str]:
    data = yaml.safe_load((REPO / "column.yml").read_text(encoding="utf-8"))
    return [str(k["label"]) for k in data["kinds"]]


def _branches(rng: random.Random, count: int) -> list[BranchSpec]:
    specs: list[BranchSpec] = []
    brands = [a + b for a in BRAND_A for b in BRAND_B if a != b]
    rng.shuffle(brands)
    slugs: set[str] = set()
    per_parent: dict[str, int] = {}
    for i in range(count):
        brand = brands[i % len(brands)] + ("" if i < len(brands) else str(i // len(brands) + 1))
        slug = base = slugify(brand)
        n = 2
        while slug in slugs:
            slug, n = f"{base}-{n}", n + 1
        slugs.add(slug)
        parent = PARENTS[i % len(PARENTS)]
        k = per_parent[parent] = per_parent.get(parent, 0) + 1
        numeral = NUMERALS[(k - 1) % len(NUMERALS)] + ("" if k <= len(NUMERALS) else str(k))
        name = f"{parent}{numeral}党支部"
        short = f"{parent[:2]}{numeral[1:]}支部"
        specs.append(BranchSpec(slug=slug, name=name, short_name=short, brand=brand))
    return specs


def _write_branch(root: Path, rng: random.Random, spec: BranchSpec, order: int, all_specs: list[BranchSpec],
                  pool: list[str], logo: bytes) -> None:
    folder = root / "branches" / spec.slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "logo.png").write_bytes(logo)
    # Branches pair up with their neighbour (0↔1, 2↔3, …) so that both sides declare every pairing.
    index = all_specs.index(spec)
    mate = index ^ 1
    pairings = [{"branch": all_specs[mate].slug, "note": "上下级支部双联"}] if mate < len(all_specs) else []
    if rng.random() < 0.6:
        pairings.append({"partner": f"{rng.choice(['东山', '白石', '青龙', '金沙'])}社区党委", "note": "地企联合共建"})
    fields = {
        "name": spec.name,
        "short_name": spec.short_name,
        "brand": spec.brand,
        "slogan": f"{rng.choice(SLOGAN_A)}，{rng.choice(SLOGAN_B)}",
        "logo": "logo.png",
        "parent": spec.name.split("第")[0].removesuffix("党支部") or spec.name,
        "category": rng.choice(CATEGORIES),
        "order": order,
        "highlights": [{"title": f"{rng.choice(TITLE_TOPICS)}工程", "text": rng.choice(pool)}
                       for _ in range(rng.randrange(2, 5))],
        "experiences": [{"title": rng.choice(HEADINGS), "text": rng.choice(pool)} for _ in range(rng.randrange(1, 4))],
        "honours": [{"year": y, "title": rng.choice(["院“四强”党支部", "省地矿系统优秀党建品牌", "先进基层党组织",
                                                     "五星级党支部", "青年文明号"])}
                    for y in sorted(rng.sample(range(2018, 2027), rng.randrange(1, 4)))],
        "pairings": pairings,
    }
    body = _body(rng, pool, f"{spec.short_name}的党建品牌是“{spec.brand}”。", rng.randrange(300, 900), "")
    (folder / "index.md").write_text(_front_matter(fields) + body, encoding="utf-8")


def generate(root: Path, branches: int = 150, stories_per_branch: int = 60, *, seed: int = SEED,
             cover_share: float = 0.10) -> CorpusStats:
    start = time.perf_counter()
    root = Path(root)
    if root.exists():
        shutil.rmtree(root)
    (root / "content" / "stories").mkdir(parents=True)
    write_project_config(root)
    (root / "content" / "about.md").write_text(
        "# 关于本栏\n\n本栏目展示各党支部的党建品牌与活动风采（基准测试用的生成内容）。\n", encoding="utf-8")

    rng = random.Random(seed)
    pool = _sentence_pool(rng)
    kinds = _kind_labels()
    jpeg, logo = _shared_jpeg(), _shared_png()
    specs = _branches(rng, branches)
    for i, spec in enumerate(specs):
        _write_branch(root, rng, spec, (i + 1) * 10, specs, pool, logo)

    urls: set[str] = set()
    joint = covers = characters = 0
    for spec in specs:
        for n in range(stories_per_branch):
            date = _date(rng)
            kind = rng.choice(kinds)
            branch: str | list[str] = spec.slug
            if len(specs) > 1 and rng.random() < 0.05:
                other = rng.choice([s for s in specs if s.slug != spec.slug])
                branch = [spec.slug, other.slug]
                kind = "双联" if "双联" in kinds and rng.random() < 0.5 else kind
                joint += 1
            while True:  # titles (hence URLs, which come from their pinyin) must be unique per year
                title = (f"{spec.short_name}{rng.choice(TITLE_VERBS)}“{rng.choice(TITLE_TOPICS)}”"
                         f"{kind}活动")
                if rng.random() < 0.5:
                    title = f"{date.month}月{date.day}日，{title}"
                url = f"{date.year}/{slugify(title)}"
                if url not in urls:
                    urls.add(url)
                    break
            stem = f"{date:%Y-%m-%d}-{spec.slug}-{n:03d}"
            folder = root / "content" / "stories" / str(date.year)
            folder.mkdir(exist_ok=True)
            has_cover = rng.random() < cover_share
            image = f"{stem}/01.jpg" if has_cover else ""
            if has_cover:
                (folder / stem).mkdir()
                (folder / stem / "01.jpg").write_bytes(jpeg)
                covers += 1
            opening = (f"{date.month}月{date.day}日，{spec.name}在{rng.choice(PLACES)}开展{kind}活动，"
                       f"主题是“{rng.choice(TITLE_TOPICS)}”。")
            target = int(300 + (2700 * rng.random() ** 1.6))  # 300–3,000 characters, more short than long
            body = _body(rng, pool, opening, target, image)
            characters += len(body)
            fields: dict = {
                "title": title,
                "date": date,
                "status": "已发布",
                "branch": branch,
                "kind": kind,
                "tags": rng.sample(TAGS, rng.choice((2, 3))),
                "description": rng.choice(pool) + rng.choice(pool),
                "author": _person(rng),
            }
            if has_cover:
                fields["cover"] = image
                fields["photographer"] = _person(rng)
            if rng.random() < 0.5:
                fields["source"] = spec.name.split("第")[0]
            (folder / f"{stem}.md").write_text(_front_matter(fields) + body, encoding="utf-8")
    total = branches * stories_per_branch
    note = (f"covers on {covers} of {total} stories ({cover_share:.0%} target): one shared {len(jpeg) // 1024} KB "
            f"480x320 JPEG copied into each such story's photo folder and shown once in its body; "
            f"a shared {len(logo) // 1024 or 1} KB logo per branch")
    return CorpusStats(root=root, branches=branches, stories=total, joint=joint, covers=covers,
                       characters=characters, seconds=time.perf_counter() - start, photos_note=note)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="where to write the project (replaced if it exists)")
    parser.add_argument("--branches", type=int, default=150)
    parser.add_argument("--stories-per-branch", type=int, default=60)
    parser.add_argument("--cover-share", type=float, default=0.10, help="share of stories with a cover photo")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    if args.folder.resolve().is_relative_to(REPO):
        parser.error("write the corpus outside the repository")
    stats = generate(args.folder, args.branches, args.stories_per_branch, seed=args.seed,
                     cover_share=args.cover_share)
    print(f"{stats.root}: {stats.branches} branches, {stats.stories} stories ({stats.joint} joint), "
          f"{stats.characters / stats.stories:.0f} characters per story on average, {stats.seconds:.1f} s")
    print(f"photos: {stats.photos_note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
