"""The built site as the browser tests meet it: where it is, its pages, a local server, and
Debian's Chromium (never a browser a test tool downloads)."""

import functools
import http.server
import os
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
ARTIFACTS = HTML / "artifacts"
PAGES = sorted(p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html")
               if "_static" not in p.parts and "artifacts" not in p.parts)
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Harmless console noise of the pinned toolchain, matched exactly (see README, "Known noise").
KNOWN_CONSOLE_NOISE = (
    # vega 6.3.0's npm build reports its version as 5.33.1; vega-embed warns, charts draw fine.
    "WARN The compiled spec uses Vega v6, but current version is v5.33.1.",
)



class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def end_headers(self):
        # LinkChecker keeps to 10 requests a second per host unless the host names it in a
        # header: this server is ours, so let it go faster.
        self.send_header("LinkChecker", "allowed")
        super().end_headers()


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # a page closed while its requests were in flight: the browser hung up, nothing failed
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class _HostLikeHandler(_QuietHandler):
    """As a static host serves a site: text compressed with gzip when the browser accepts it,
    and a cache header (what Lighthouse's performance and best-practice audits look for)."""

    COMPRESSED = (".html", ".js", ".css", ".json", ".svg", ".txt", ".xml", ".csv", ".md")

    def send_head(self):
        path = self.translate_path(self.path)
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and os.path.isfile(path) and path.endswith(self.COMPRESSED)):
            return super().send_head()
        import gzip
        import io

        with open(path, "rb") as fh:
            body = gzip.compress(fh.read(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "public, max-age=3600")
        self.end_headers()
        return io.BytesIO(body)


def serve(folder: Path = HTML, like_a_host: bool = False):
    """Serve `folder` on a free local port; returns (address, server). `like_a_host`: with gzip
    and cache headers, as a static host would."""
    handler = functools.partial(_HostLikeHandler if like_a_host else _QuietHandler,
                                directory=str(folder))
    httpd = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}/", httpd


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]


def open_offline(browser, base_url, page_path):
    """A page with every request that leaves the local server aborted."""
    page = browser.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base_url) else r.abort())
    page.goto(base_url + page_path, wait_until="load")
    return page

