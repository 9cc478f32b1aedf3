"""Every staff-facing message of the image pipeline, in Chinese: the file, what is wrong, the fix."""

from __future__ import annotations

_REEXPORT = "请在手机或电脑上把照片重新导出为 JPEG 后放入"


def empty(label: str) -> str:
    return f"图片 {label} 是空文件（0 字节），可能没有复制完整。{_REEXPORT}。"


def unreadable(label: str, reason: str) -> str:
    return f"无法读取图片 {label}（{reason}）。请确认文件存在且有读取权限。"


def missing(label: str) -> str:
    return f"找不到图片 {label}。请检查文件名（包括大小写和扩展名）是否写对、文件是否已放入文件夹。"


def svg(label: str) -> str:
    return f"图片 {label} 是 SVG 矢量图。SVG 图片不能直接发布，请转换为 PNG 后放入。"


def text_file(label: str) -> str:
    return f"文件 {label} 不是图片，而是文本文件（可能是把别的文件改了扩展名）。请换成真正的照片，转换为 JPEG 或 PNG 后放入。"


def unknown_format(label: str, name: str = "") -> str:
    what = f"是 {name} 格式，" if name else "的格式无法识别，"
    return f"图片 {label} {what}不能发布。请转换为 JPEG 或 PNG 后放入。"


def too_many_pixels(label: str, width: int, height: int, limit: int) -> str:
    size = f"尺寸为 {width}×{height}（{width * height / 1e6:.0f} 百万像素）" if width else "尺寸过大"
    return (f"图片 {label} {size}，超过上限 "
            f"{limit / 1e6:.0f} 百万像素，为防止内存耗尽已拒绝处理。请缩小到 {limit / 1e6:.0f} 百万像素以内"
            f"（例如长边不超过 8000 像素）后放入；确需更大尺寸，可调大 column.yml 中的 images.max_pixels。")


def truncated(label: str) -> str:
    return f"图片 {label} 文件不完整（可能没有传完或下载中断）。{_REEXPORT}。"


def corrupt(label: str) -> str:
    return f"图片 {label} 的数据已损坏，无法解码。{_REEXPORT}。"


def heif_unavailable(label: str) -> str:
    return f"图片 {label} 是 HEIC/HEIF 格式，但本机缺少解码组件 pillow-heif。请在手机上把照片导出为 JPEG 后重新放入。"


def out_of_memory(label: str) -> str:
    return f"处理图片 {label} 时内存不足。请把照片缩小（长边不超过 8000 像素）并导出为 JPEG 后放入。"


def crashed(label: str) -> str:
    return f"处理图片 {label} 时图片处理程序意外退出。请用手机或电脑重新导出为 JPEG 后放入；如仍失败，请联系网站管理员。"


def unexpected(label: str, exc: BaseException) -> str:
    return (f"处理图片 {label} 时出错（{type(exc).__name__}: {exc}）。{_REEXPORT}；"
            "如仍失败，请联系网站管理员。")


def write_failed(label: str, exc: BaseException) -> str:
    return f"图片 {label} 的处理结果无法写入缓存文件夹（{exc}）。请网站管理员检查磁盘空间和 images.cache_dir 的写权限。"
