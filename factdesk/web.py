"""Articles and fact feeds from the web, fetched with httpx under firm limits, with one clear error for each
way a fetch fails (bad address, no connection, too slow, redirect loop, HTTP error, wrong type, too big)."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlsplit

import httpx

from . import __version__
from .errors import FactdeskError
from .textio import Document, decode

ARTICLE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/markdown")
FEED_TYPES = ("text/csv", "application/csv", "application/json", "text/json", "text/plain")


class WebError(FactdeskError):
    """Something on the web could not be fetched or is not what was asked for."""

    code = "FD500"


class FetchStopped(WebError):
    """The fetch was asked to stop (the user pressed Stop, the app is closing)."""

    code = "FD510"


@dataclass(frozen=True)
class FetchLimits:
    """How long, how far and how much a fetch may go."""

    connect_s: float = 10.0
    read_s: float = 15.0          # the longest wait for the next piece of the response
    total_s: float = 45.0         # the whole fetch, however the server drips it
    max_bytes: int = 10 * 2**20
    max_redirects: int = 5


@dataclass(frozen=True)
class Fetched:
    """A response body and what the server said it was."""

    url: str                      # after redirects
    content_type: str
    charset: str | None
    body: bytes


def is_url(text: str) -> bool:
    return bool(re.match(r"^https?://", text.strip(), re.IGNORECASE))


def fetch(url: str, accept: tuple[str, ...], limits: FetchLimits = FetchLimits(), *, what: str = "page",
          should_stop: Callable[[], bool] | None = None) -> Fetched:
    """GET `url`, following at most `limits.max_redirects` redirects, and return its body if its type is one
    of `accept` and it fits `limits.max_bytes`; anything else is a one-line WebError. `should_stop` is
    asked between pieces of the body (FetchStopped once it says so)."""
    try:
        parts = urlsplit(url.strip())
        parts.port      # a port that is not a number is only found when asked for
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise WebError(f"'{url[:80]}' is not a web address; give one that starts with http:// or https://",
                       code="FD501")
    timeout = httpx.Timeout(limits.read_s, connect=limits.connect_s)
    headers = {"User-Agent": f"factdesk/{__version__} (fact-checking desk tool)",
               "Accept": ", ".join(accept) + ", */*;q=0.1"}
    started = time.monotonic()
    try:
        with httpx.Client(follow_redirects=True, max_redirects=limits.max_redirects, timeout=timeout,
                          headers=headers) as client:
            with client.stream("GET", url.strip()) as response:
                if response.status_code >= 400:
                    raise WebError(f"{url} answered {response.status_code} {response.reason_phrase}; check the "
                                   f"address" + (" or try again later" if response.status_code >= 500 else ""),
                                   code="FD505")
                content_type, charset = _content_type(response.headers.get("content-type", ""))
                if content_type not in accept:
                    raise WebError(_wrong_type(url, content_type, what), code="FD506")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limits.max_bytes:
                    raise WebError(_too_big(url, int(declared), limits), code="FD507")
                body = bytearray()
                for chunk in response.iter_bytes():
                    if should_stop is not None and should_stop():
                        raise FetchStopped(f"stopped fetching {url}", code="FD510")
                    body += chunk
                    if len(body) > limits.max_bytes:
                        raise WebError(_too_big(url, None, limits), code="FD507")
                    if time.monotonic() - started > limits.total_s:
                        raise httpx.ReadTimeout("total time")
                return Fetched(str(response.url), content_type, charset, bytes(body))
    except httpx.TooManyRedirects:
        raise WebError(f"{url} redirects more than {limits.max_redirects} times (a redirect loop?); open it in a "
                       f"browser to find the page's real address", code="FD504") from None
    except httpx.TimeoutException as exc:
        which = {httpx.ConnectTimeout: f"no connection within {limits.connect_s:g} s",
                 httpx.ReadTimeout: (f"nothing for {limits.read_s:g} s" if str(exc) != "total time"
                                     else f"not all of it within {limits.total_s:g} s")}.get(type(exc), "too slow")
        raise WebError(f"{url} did not answer in time ({which}); try again later", code="FD503") from None
    except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ProxyError, httpx.ReadError) as exc:
        raise WebError(f"could not reach {parts.netloc} ({_reason(exc)}); check the address and the network",
                       code="FD502") from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise WebError(f"'{url[:80]}' is not a usable web address ({exc}); check it", code="FD501") from None
    except httpx.DecodingError:
        raise WebError(f"{url} sent a body that does not decompress; try again later", code="FD502") from None
    except httpx.HTTPError as exc:
        raise WebError(f"fetching {url} failed ({type(exc).__name__}); try again", code="FD502") from None


def _content_type(header: str) -> tuple[str, str | None]:
    kind, _, params = header.partition(";")
    m = re.search(r"charset\s*=\s*\"?([\w.:-]+)", params, re.IGNORECASE)
    return kind.strip().lower(), (m.group(1).lower() if m else None)


def _wrong_type(url: str, content_type: str, what: str) -> str:
    shown = content_type or "of no stated type"
    if what == "feed" and content_type in ("text/html", "application/xhtml+xml"):
        return (f"{url} is a web page, not a CSV or JSON file of facts; use the address of the raw file")
    if what == "feed":
        return f"{url} is {shown}, not CSV or JSON; give the address of a facts CSV or JSON feed"
    return f"{url} is {shown}, not an article (HTML or text); save it and open the file if it is a document"


def _too_big(url: str, size: int | None, limits: FetchLimits) -> str:
    have = f" ({size / 2**20:.0f} MiB)" if size else ""
    return f"{url} is larger than {limits.max_bytes // 2**20} MiB{have}; save the text you need and open the file"


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:120]


def text_of(fetched: Fetched, source: str) -> str:
    """The body as text: in the charset the server named, else UTF-8 (or Windows-1252, with a warning)."""
    if fetched.charset:
        try:
            return fetched.body.decode(fetched.charset).replace("\r\n", "\n").replace("\r", "\n")
        except (LookupError, UnicodeDecodeError):
            pass      # a wrong or unknown charset label: read the bytes as a file would be read
    return decode(fetched.body, source).text


def read_article(url: str, limits: FetchLimits = FetchLimits(),
                 should_stop: Callable[[], bool] | None = None) -> Document:
    """An article from the web: its headline and main text (boilerplate, menus and comments removed), with
    the publication date its page gives, if any. The Document's source is the address fetched."""
    fetched = fetch(url, ARTICLE_TYPES, limits, what="page", should_stop=should_stop)
    source = fetched.url
    if fetched.content_type in ("text/plain", "text/markdown"):
        doc = decode(fetched.body, source)
        return Document(source, doc.text, doc.encoding, doc.warnings)
    html = text_of(fetched, source)
    title, body, day = main_text(html, source)
    text = (title + "\n\n" + body) if title and not body.startswith(title) else body
    if not text.strip():
        raise WebError(f"{source} has no article text that factdesk can find; copy the text into the editor",
                       code="FD508")
    return Document(source, text, fetched.charset or "utf-8", (), date=day)


def main_text(html: str, source: str = "") -> tuple[str, str, str | None]:
    """(headline, main text, publication date) of an HTML page, by trafilatura; our own HTML reader when it
    finds nothing (short pages, plain markup)."""
    import trafilatura

    from .docformats import check_html_depth, html_text

    check_html_depth(html, source or "the page")
    extracted = None
    try:
        extracted = trafilatura.bare_extraction(html, url=source or None, with_metadata=True, include_tables=True,
                                                include_comments=False, favor_precision=True)
    except Exception:  # noqa: BLE001 - a library failing on odd markup must not lose the article
        extracted = None
    body = (getattr(extracted, "text", None) or "").strip() if extracted is not None else ""
    title = (getattr(extracted, "title", None) or "").strip() if extracted is not None else ""
    day = getattr(extracted, "date", None) if extracted is not None else None
    if body:
        # one paragraph per line from trafilatura; a blank line between them, as drafts read from files
        body = "\n\n".join(line.strip() for line in body.splitlines() if line.strip())
    else:
        body = html_text(html).strip()
    return title, body, day if day and re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) else None


def read_feed(url: str, limits: FetchLimits = FetchLimits()) -> tuple[str, str]:
    """(text, final address) of a facts CSV or JSON feed on the web."""
    # download links often serve a CSV as a plain binary stream: its name then says what it is
    named = re.search(r"\.(?:csv|json)(?:$|[?#])", url.split("?")[0].split("#")[0], re.IGNORECASE)
    accept = FEED_TYPES + (("application/octet-stream", "binary/octet-stream") if named else ())
    fetched = fetch(url, accept, limits, what="feed")
    for charset in dict.fromkeys([fetched.charset or "utf-8-sig", "utf-8-sig"]):
        try:
            return fetched.body.decode(charset), fetched.url
        except (LookupError, UnicodeDecodeError):
            continue      # a wrong or unknown charset label: UTF-8 is what the import format asks for
    raise WebError(f"{url} is not UTF-8 text; the feed must be UTF-8 CSV or JSON", code="FD509")
