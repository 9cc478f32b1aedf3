"""The process pool finishes long runs: more jobs per worker than any recycling threshold (regression)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from PIL import Image
    from dangjian_column.imaging import ImagePipeline, ImageRequest, ImageSettings

    if __name__ == "__main__":
        work = Path(sys.argv[1])
        requests = []
        for i in range(450):
            path = work / f"p{i}.png"
            Image.new("RGB", (24, 16), (i % 256, (i * 7) % 256, 90)).save(path)
            requests.append(ImageRequest(path, f"p{i}.png"))
        settings = ImageSettings(widths=(16,), workers=2)
        result = ImagePipeline(work / "cache", settings, progress=False).process(requests)
        print(len(result.images), len(result.failures))
""")


def test_a_pool_of_two_finishes_450_images(tmp_path: Path):
    script = tmp_path / "run.py"
    script.write_text(SCRIPT, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True, text=True,
                          timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["450", "0"]
