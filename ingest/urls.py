"""Web pages as sources: fetch with httpx, extract the article with trafilatura.

Only http(s) URLs are fetched, and by default only from public addresses: the host is resolved
and every address it resolves to (and every redirect hop's) must be public, so a URL cannot
make Sourced read a service on this machine or the local network (SSRF). Responses are read up
to a size limit within a timeout. The URL (without its #fragment) is the document's id.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from ingest.binary_formats import read_docx, read_pdf
from ingest.errors import IngestError
from ingest.html import extract_article
from ingest.loaders import build_document, decode, document_from_extracted
from ingest.models import Document

_MAX_REDIRECTS = 5
_USER_AGENT = "sourced/0.1 (+https://github.com/; article ingest)"


def is_url(value: object) -> bool:
    """Whether ``value`` is a string that names a URL (any scheme), not a path."""
    return isinstance(value, str) and "://" in value and not value.startswith("file:///")


def normalize_url(url: str) -> str:
    """The URL as stored: scheme and host lower-cased, fragment dropped."""
    parts = urlsplit(url.strip())
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
    )


@dataclass(frozen=True)
class FetchPolicy:
    """Limits of a fetch: private addresses allowed or not, bytes, seconds."""

    allow_private: bool = False
    max_bytes: int = 20_000_000
    timeout: float = 20.0


def check_url(url: str, policy: FetchPolicy) -> None:
    """Raise ``IngestError`` unless ``url`` is http(s) and (by policy) resolves only to
    public addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise IngestError(url, f"scheme {parts.scheme!r} is not allowed; use an http(s) URL")
    host = parts.hostname
    if not host:
        raise IngestError(url, "has no host name; check the URL")
    if policy.allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or 0, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise IngestError(url, f"cannot resolve host {host!r} ({exc}); check the URL") from exc
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if not address.is_global or address.is_multicast:
            raise IngestError(
                url,
                f"resolves to {address}, a loopback, private or link-local address; set "
                "SOURCED_ALLOW_PRIVATE_URLS=1 to fetch from your own network",
            )


@dataclass(frozen=True)
class Fetched:
    url: str
    final_url: str
    content_type: str
    body: bytes


def fetch(url: str, policy: FetchPolicy) -> Fetched:
    """GET ``url`` following redirects by hand (each hop is checked), within the limits."""
    current = url
    with httpx.Client(
        timeout=policy.timeout, follow_redirects=False, headers={"User-Agent": _USER_AGENT}
    ) as client:
        for _ in range(_MAX_REDIRECTS + 1):
            check_url(current, policy)
            try:
                with client.stream("GET", current) as response:
                    if response.is_redirect:
                        location = response.headers.get("location", "")
                        current = urljoin(current, location)
                        continue
                    if response.status_code >= 400:
                        raise IngestError(
                            url, f"the server answered {response.status_code}; check the URL"
                        )
                    declared = response.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > policy.max_bytes:
                        raise IngestError(url, _too_big(int(declared), policy))
                    body = bytearray()
                    for piece in response.iter_bytes():
                        body.extend(piece)
                        if len(body) > policy.max_bytes:
                            raise IngestError(url, _too_big(len(body), policy))
                    content_type = response.headers.get("content-type", "")
                    return Fetched(url, current, content_type.lower(), bytes(body))
            except httpx.TimeoutException as exc:
                raise IngestError(
                    url, f"timed out after {policy.timeout:g} s; raise SOURCED_URL_TIMEOUT"
                ) from exc
            except httpx.HTTPError as exc:
                raise IngestError(url, f"cannot fetch it ({exc}); check the URL") from exc
    raise IngestError(url, f"more than {_MAX_REDIRECTS} redirects; use the final URL")


def _too_big(size: int, policy: FetchPolicy) -> str:
    return (
        f"is over {policy.max_bytes:,} bytes (at least {size:,}); "
        "raise SOURCED_MAX_FILE_BYTES to fetch it"
    )


def load_url(url: str, policy: FetchPolicy) -> Document:
    """The article at ``url`` (HTML, PDF, Word or plain text) as a document whose id is the
    URL."""
    if not url.lower().startswith(("http://", "https://")):
        check_url(url, policy)  # raises: wrong scheme
    locator = normalize_url(url)
    fetched = fetch(locator, policy)
    kind = fetched.content_type.split(";")[0].strip()
    path = urlsplit(fetched.final_url).path.lower()
    if kind == "application/pdf" or path.endswith(".pdf"):
        return document_from_extracted(read_pdf(fetched.body, url), locator, url, url=locator)
    if "wordprocessingml" in kind or path.endswith(".docx"):
        return document_from_extracted(read_docx(fetched.body, url), locator, url, url=locator)
    if not fetched.body.strip():
        raise IngestError(url, "the page is empty; nothing to ingest")
    text = decode(fetched.body, url)
    if kind == "text/plain":
        return build_document(locator, text, {"url": locator}, parse_header=True, origin=url)
    article, meta = extract_article(text, url=fetched.final_url)
    if not article.strip():
        raise IngestError(url, "no article text found on the page")
    meta["url"] = locator  # the id is the URL asked for, not a canonical link the page names
    return build_document(locator, article, meta, parse_header=not meta.get("title"), origin=url)
