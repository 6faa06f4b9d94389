"""PDF rendering with WeasyPrint, locked down to local files.

The URL fetcher serves only files inside the folders it is given (the static
assets, a course's media) and ``data:`` URIs: no network, no other ``file:``
path, whatever the HTML asks for.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

ASSETS_DIR = Path(__file__).resolve().parent.parent / "static"


def local_fetcher(roots: tuple[Path, ...]):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    allowed = tuple(Path(r).resolve() for r in roots)

    class LocalAssetsFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme != "file":
                raise ValueError(f"refused to fetch {url[:80]!r}: only local assets")
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in allowed) or not path.is_file():
                raise ValueError(f"refused to fetch {url[:80]!r}: outside the assets folders")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return LocalAssetsFetcher(allowed_protocols={"file", "data"})


def render_pdf(html: str, *, extra_roots: tuple[Path, ...] = (), **options) -> bytes:
    """Render HTML whose relative URLs point into the static assets folder."""
    from weasyprint import HTML  # heavy import: load only when a PDF is made

    fetcher = local_fetcher((ASSETS_DIR, *extra_roots))
    document = HTML(string=html, base_url=ASSETS_DIR.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(**options)
