"""生成示例支部的徽标（logo.png）。

每个示例支部一个 256×256 的圆形徽章：不同底色，中间是品牌名称的前两个汉字（白色）。
只用于示例内容；真实支部请换成自己设计的徽标。

用法：python bench/make_sample_logos.py（需要 Pillow 和一个中文字体，例如 Debian 的 fonts-noto-cjk）
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
BRANCHES = ROOT / "branches"
SIZE = 256
SCALE = 4  # 先画 4 倍大再缩小，边缘更平滑

# 支部目录名 -> (徽标文字, 底色)
LOGOS = {
    "jiguan-hongxin": ("红心", "#c62828"),
    "dizhi-xianfeng": ("地质", "#b71c1c"),
    "tankuang-jianbing": ("探矿", "#e65100"),
    "jiangxin-jingce": ("匠心", "#1565c0"),
    "qingshan-weishi": ("青山", "#2e7d32"),
    "shanye-hongqi": ("山野", "#6a1b9a"),
}

FALLBACK_FONTS = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
]


def find_cjk_font() -> str:
    for path in FALLBACK_FONTS:
        if Path(path).exists():
            return path
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        out = ""
    files = [line.split(":")[0].strip() for line in out.splitlines() if line.strip()]
    bold = [f for f in files if "bold" in f.lower()]
    if bold or files:
        return (bold or files)[0]
    sys.exit("找不到中文字体：请先安装 fonts-noto-cjk（apt-get install -y fonts-noto-cjk）")


def font_index(path: str) -> int:
    """.ttc 字体集合里选简体中文（SC）那一款。"""
    if not path.endswith(".ttc"):
        return 0
    for i in range(20):
        try:
            f = ImageFont.truetype(path, 20, index=i)
        except OSError:
            break
        if f.getname()[0].endswith(" SC"):
            return i
    return 0


def draw_logo(text: str, colour: str, font_path: str, index: int) -> Image.Image:
    big = SIZE * SCALE
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.ellipse((0, 0, big - 1, big - 1), fill=colour)
    m = int(big * 0.06)
    d.ellipse((m, m, big - 1 - m, big - 1 - m), outline="white", width=int(big * 0.018))
    # 上方一颗小五角星
    import math

    cx, cy, r = big / 2, big * 0.22, big * 0.06
    pts = []
    for k in range(10):
        rr = r if k % 2 == 0 else r * 0.4
        a = -math.pi / 2 + k * math.pi / 5
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    d.polygon(pts, fill="#ffd54f")
    size = int(big * (0.34 if len(text) == 2 else 0.5))
    font = ImageFont.truetype(font_path, size, index=index)
    d.text((big / 2, big * 0.56), text, font=font, fill="white", anchor="mm")
    return img.resize((SIZE, SIZE), Image.LANCZOS)


def main() -> None:
    font_path = find_cjk_font()
    index = font_index(font_path)
    for slug, (text, colour) in LOGOS.items():
        folder = BRANCHES / slug
        folder.mkdir(parents=True, exist_ok=True)
        out = folder / "logo.png"
        draw_logo(text, colour, font_path, index).save(out, optimize=True)
        print(f"{out.relative_to(ROOT)}  {text}  {colour}")


if __name__ == "__main__":
    main()
