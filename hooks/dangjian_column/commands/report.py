"""``dangjian report``: the freshness report (更新情况) for the office and for cron, also a section of ``check``.

Exit codes: 0 nothing to act on (only ``正常`` and ``提示`` lines), 1 at least one warning or error
(a cron job mails the output then), 2 usage error. The CSV is UTF-8 with a BOM so Excel opens it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from dangjian_column.content.freshness import FreshnessReport
from dangjian_column.problems import LEVEL_LABELS

LABELS = {**LEVEL_LABELS, "ok": "正常"}
SECTIONS = ("首页更新", "支部更新", "空白栏目", "本月规定动作")
CSV_HEADERS = ("级别", "类别", "对象", "数值", "说明")


def format_report(report: FreshnessReport) -> str:
    lines = [f"专栏更新情况（{report.today}，时区 {report.timezone}）"]
    for section in SECTIONS:
        findings = [f for f in report.findings if f.category == section]
        lines.append(f"【{section}】")
        if not findings:
            lines.append("  正常。")
        lines += [f"  {LABELS[f.level]}: {f.message}" for f in findings]
    lines.append(summary(report))
    return "\n".join(lines)


def summary(report: FreshnessReport) -> str:
    errors, warnings = report.count("error"), report.count("warning")
    verdict = "需要处理" if errors or warnings else "没有需要处理的问题"
    return f"更新情况：{errors} 个错误，{warnings} 个警告，{report.count('info')} 个提示；{verdict}。"


def exit_code(report: FreshnessReport) -> int:
    return 1 if report.count("error") or report.count("warning") else 0


def report_csv(report: FreshnessReport) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for f in report.findings:
        writer.writerow((LABELS[f.level], f.category, f.subject, f.value, f.message))
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8, not GBK


def write_csv(report: FreshnessReport, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(report_csv(report))
