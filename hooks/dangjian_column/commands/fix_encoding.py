"""``dangjian fix-encoding``: GBK/GB18030 text files (Windows Notepad, older WPS) to UTF-8, with a backup."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RecodeResult:
    path: Path
    changed: bool
    message: str  # Chinese, one line for staff


def fix_encoding(path: Path) -> RecodeResult:
    """Rewrite ``path`` as UTF-8 after copying the original bytes to ``path.bak``; never guesses twice."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return RecodeResult(path, False, f"{path}: 无法读取（{exc.strerror}），请检查文件名。")
    try:
        raw.decode("utf-8")
        return RecodeResult(path, False, f"{path}: 已经是 UTF-8 编码，不需要转换，未做任何修改。")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return RecodeResult(path, False, f"{path}: 第 {line} 行既不是 UTF-8 也不是 GBK/GB18030 编码，无法自动转换。"
                            "请用记事本或 VS Code 打开，“另存为”时编码选 UTF-8。")
    backup = path.with_name(path.name + ".bak")
    if backup.exists():
        return RecodeResult(path, False, f"{path}: 备份文件 {backup.name} 已存在，为免覆盖旧备份，未做转换。"
                            "请先移走或删除它，再运行本命令。")
    backup.write_bytes(raw)
    path.write_bytes(text.encode("utf-8"))
    return RecodeResult(path, True, f"{path}: 已从 GBK/GB18030 转为 UTF-8，原文件备份为 {backup.name}。")
