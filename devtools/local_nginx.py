"""nginx as the website team runs it, on this machine: their server block in a whole nginx.conf on loopback.

Used by the deploy tests and the page-weight and Lighthouse reports, so every figure is measured behind
the same server the official site uses.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

from browser_support import LOCAL_HOST

PROJECT = Path(__file__).resolve().parents[1]
DEPLOY_CONF = PROJECT / "deploy" / "nginx.conf"
WORKER_USER, WORKER_GROUP = "nobody", "nogroup"


def local_config(server_block: str, port: int, site: Path, prefix: Path) -> str:
    """A whole nginx.conf around the website team's server block, everything kept in ``prefix``."""
    block = re.sub(r"^(\s*)listen\s+[^;]+;", rf"\1listen {LOCAL_HOST}:{port};", server_block, flags=re.M)
    block = re.sub(r"^(\s*)server_name\s+[^;]+;", r"\1server_name localhost;", block, flags=re.M)
    block = re.sub(r"^(\s*)alias\s+[^;]+;", rf"\1alias {site}/;", block, flags=re.M)
    # The website team's nginx: a root master, workers as an unprivileged user (not run as root, nginx
    # ignores the line and its workers are the test's own user, who is no more privileged either).
    user = f"user {WORKER_USER} {WORKER_GROUP};\n" if os.geteuid() == 0 else ""
    temp = "\n".join(f"    {name}_temp_path {prefix}/{name}_temp;"
                     for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""{user}worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {prefix}/access.log;
{temp}
{block}
}}
"""


def world_traversable_folder() -> Path:
    """A folder like the website team's /srv/dangjian (mkdir under umask 022), for the built site.

    nginx's workers run as another user (``local_config``), and pytest's tmp folders live under
    /tmp/pytest-of-<user>/, which is 0700: no nginx worker running as another user could reach a site
    built there, whatever the site's own modes. So the site is built
    under a fresh 0755 folder in the system temp dir, and every parent must let others through.
    """
    folder = Path(tempfile.mkdtemp(prefix="dangjian-nginx-"))
    folder.chmod(0o755)
    private = [str(p) for p in folder.parents if not stat.S_IMODE(p.stat().st_mode) & stat.S_IXOTH]
    if private:
        raise RuntimeError(f"nginx workers cannot pass through {private}; set TMPDIR to a world-traversable folder")
    return folder
