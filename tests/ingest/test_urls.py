"""URL sources against a real HTTP server on 127.0.0.1 (private addresses allowed there), and
the refusals with the default policy."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from docmakers import pdf_bytes

from ingest.errors import IngestError
from ingest.ids import document_id
from ingest.urls import FetchPolicy, check_url, load_url

ARTICLE = b"""<!doctype html><html><head>
<title>Tide Gauge Shows Record High | Coast Post</title>
<meta property="og:title" content="Tide Gauge Shows Record High">
<meta name="author" content="Lena Park">
<meta property="og:site_name" content="Coast Post">
<meta property="article:published_time" content="2024-02-03">
</head><body><nav>Home News Sport</nav><article><h1>Tide Gauge Shows Record High</h1>
<p>The tide gauge at North Quay recorded its highest reading in forty years on Saturday,
the harbour office said, as a storm surge met a spring tide.</p>
<p style="display:none">HIDDEN PROMO TEXT that readers never see on the page.</p>
<p>Shops along the quay had been told to move stock upstairs, and most of them did so
before the water reached the doors, according to the traders' association.</p>
<script>var TRACKING = "SCRIPT TEXT";</script>
</article><footer>All rights reserved</footer></body></html>"""


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def _send(self, body: bytes, content_type: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path.startswith("/article"):
            self._send(ARTICLE, "text/html; charset=utf-8")
        elif self.path == "/report.pdf":
            pages = [
                ["The ferry company said crossings would resume on Monday morning."],
                ["Passengers holding tickets for cancelled sailings will be refunded in full."],
            ]
            self._send(pdf_bytes(pages, "Ferry Crossings Resume"), "application/pdf")
        elif self.path == "/big":
            self._send(b"<p>" + b"word " * 50_000 + b"</p>", "text/html")
        elif self.path == "/slow":
            time.sleep(3)
            self._send(ARTICLE, "text/html")
        elif self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.end_headers()
        else:
            self._send(b"not here", "text/plain", 404)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


OPEN = FetchPolicy(allow_private=True, max_bytes=100_000, timeout=1.0)


def test_article_url_is_the_id_with_metadata_and_no_hidden_text(server: str) -> None:
    url = f"{server}/article#comments"
    doc = load_url(url, OPEN)
    assert doc.locator == doc.url == f"{server}/article"
    assert doc.doc_id == document_id(f"{server}/article")
    assert doc.title == "Tide Gauge Shows Record High"
    assert doc.author == "Lena Park" and doc.source == "Coast Post"
    assert doc.published_at.startswith("2024-02-03")
    assert "highest reading in forty years" in doc.text
    for hidden in ("HIDDEN PROMO", "SCRIPT TEXT", "All rights reserved", "Home News"):
        assert hidden not in doc.text


def test_redirect_is_followed_and_the_asked_url_stays_the_id(server: str) -> None:
    doc = load_url(f"{server}/moved", OPEN)
    assert doc.locator == f"{server}/moved"
    assert "storm surge met a spring tide" in doc.text


def test_pdf_url_keeps_pages(server: str) -> None:
    doc = load_url(f"{server}/report.pdf", OPEN)
    assert doc.title == "Ferry Crossings Resume"
    assert doc.page_at(doc.text.index("Passengers")) == 2


@pytest.mark.parametrize(
    ("path", "policy", "reason"),
    [
        ("/big", OPEN, "over 100,000 bytes"),
        ("/slow", OPEN, "timed out after 1 s"),
        ("/missing", OPEN, "answered 404"),
    ],
)
def test_fetch_limits_and_failures(
    server: str, path: str, policy: FetchPolicy, reason: str
) -> None:
    with pytest.raises(IngestError) as info:
        load_url(server + path, policy)
    assert info.value.source == server + path
    assert reason in info.value.reason


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/article",
        "http://localhost/article",
        "http://10.1.2.3/x",
        "http://192.168.0.10/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/x",
        "http://[::ffff:127.0.0.1]/x",
        "http://0.0.0.0/x",
    ],
)
def test_private_addresses_are_refused_by_default(url: str) -> None:
    with pytest.raises(IngestError) as info:
        load_url(url, FetchPolicy())
    assert "SOURCED_ALLOW_PRIVATE_URLS" in info.value.reason


def test_local_server_is_refused_without_the_setting(server: str) -> None:
    with pytest.raises(IngestError, match="loopback, private or link-local"):
        load_url(f"{server}/article", FetchPolicy(allow_private=False))


@pytest.mark.parametrize("url", ["ftp://example.org/a.txt", "file:///etc/passwd", "gopher://x/"])
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(IngestError, match="use an http"):
        check_url(url, FetchPolicy(allow_private=True))
