"""The Flask app: search pages and their JSON/Atom/CSV twins, article pages, error pages.

One :class:`SearchIndex` is opened per app and refreshed (cheaply) before each request, so a
re-index shows up without a restart. All URL state goes through :mod:`search_web.params`.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    url_for,
)
from flask.json.provider import DefaultJSONProvider
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from indexer.search import IndexDamaged, SearchIndex, SearchRequest, SearchResult, format_date
from search_web import formats, params, present, related, status
from search_web.provinces import gazetteer
from search_web.safety import HostGuard, safe_snippet, safe_url, security_headers

log = logging.getLogger(__name__)

FEED_SIZE = 50          # newest entries in an .atom feed
CSV_MAX_ROWS = 1000     # rows in a .csv export
HOME_RECENT = 8
MAX_ID_CHARS = 64


#: Hosts a request may name when no public URL or trusted hosts are configured: the machine
#: itself. Anything else (``Host: evil.example``) is answered 400 and never reaches a link.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def create_app(index_dir: Path | str, *, public_url: str | None = None,
               trusted_hosts: tuple[str, ...] = ()) -> Flask:
    """The web app over the index in ``index_dir`` (raises IndexNotFound when there is none).

    Canonical, feed and export links are built from ``public_url`` (``https://tim.congdoan.vn``)
    when given, else from the request's host, which must then be one of ``trusted_hosts`` or
    this machine's own names: the Host header never reaches a link unchecked.
    """
    app = Flask(__name__)
    assert isinstance(app.json, DefaultJSONProvider)    # Flask's own provider: these are its options
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["search_index"] = SearchIndex(index_dir)
    public = public_url.rstrip("/") if public_url else ""
    app.config["PUBLIC_URL"] = public
    hosts = [*trusted_hosts, *LOOPBACK_HOSTS]
    if public:
        hosts.append(urlsplit(public).hostname or "")
    app.wsgi_app = HostGuard(app.wsgi_app, hosts)  # type: ignore[method-assign]

    app.before_request(_refresh_index)
    app.after_request(_add_headers)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(IndexDamaged, _index_damaged)
    app.register_error_handler(Exception, _server_error)
    app.jinja_env.filters.update(snippet=safe_snippet, safe_url=safe_url, day=format_date,
                                 vn_number=present.vn_number, vn_date=present.vn_date)
    app.jinja_env.globals.update(
        search_url=_url, external_url=external_url, number_url=number_url,
        state_pairs=params.state_pairs,
        split_visible=present.split_visible, province_label=present.province_label,
        type_label=present.type_label, facet_titles=present.FACET_TITLES)

    app.add_url_rule("/", "home", home)
    app.add_url_rule("/search", "search", search, defaults={"fmt": "html"})
    app.add_url_rule("/search.<any(json, atom, csv):fmt>", "search", search)
    app.add_url_rule("/article/<article_id>.json", "article_json", article_json)
    app.add_url_rule("/article/<article_id>", "article", article)
    app.add_url_rule("/status", "status", status.status_page)
    app.add_url_rule("/status.json", "status_json", status.status_json)
    return app


def get_index() -> SearchIndex:
    return current_app.extensions["search_index"]


def _refresh_index() -> None:
    if request.endpoint == "static":
        return
    try:
        get_index().refresh()
    except IndexDamaged:
        raise                         # nothing readable to serve: the 503 page
    except Exception as exc:  # noqa: BLE001 - a half-written index must not take the site down
        log.warning("index refresh failed (%s: %s); still serving the previous commit",
                    type(exc).__name__, exc)


def _add_headers(response: Response) -> Response:
    for name, value in security_headers().items():
        response.headers.setdefault(name, value)
    return response


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute URL for links that leave the page (canonical, feeds, exports): on the
    configured public URL, else on the request's (trusted, validated) host."""
    public = current_app.config.get("PUBLIC_URL")
    if public:
        return public + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def _url(req: SearchRequest, fmt: str = "html", external: bool = False) -> str:
    """Canonical URL of a search (``fmt`` = html or one of the twins)."""
    base = external_url("search", fmt="html") if external else url_for("search", fmt="html")
    return params.search_url(req, base=base, fmt=fmt)


# -- pages ----------------------------------------------------------------------------------------

def home() -> str:
    """Search box, newest articles and an overview of what the index holds."""
    index = get_index()
    result = index.search(SearchRequest())   # default page size: facet links stay canonical
    return render_template("home.html", result=result, recent=result.hits[:HOME_RECENT],
                           doc_count=index.doc_count, **_facet_context(result))


def search(fmt: str) -> Response | str | tuple:
    """``/search`` and its twins: one parameter set, four renderings."""
    gaz = gazetteer()
    parsed = params.parse_params(request.args.items(multi=True), gaz.known(), places=gaz)
    req = parsed.request
    if not parsed.ok:
        return _bad_request(fmt, parsed)
    index = get_index()
    try:
        if fmt == "atom":
            feed_req = replace(req, sort="newest", page=1, page_size=FEED_SIZE)
            return _atom(_search(index, feed_req), req)
        if fmt == "csv":
            return _csv(index, req)
        result = _search(index, req)
    except QueryFailed:
        message = (f"Không xử lý được truy vấn “{req.q[:80]}”. Hãy bỏ bớt ký tự đặc biệt "
                   "(dấu ngoặc kép, dấu hai chấm…) rồi tìm lại.")
        return _bad_request(fmt, replace(parsed, errors=(message,)), replace(req, q=""))
    notes = [*parsed.notes, *result.notes]
    if req.page > result.page_count and result.total:
        notes.append(f"Trang {req.page} không có kết quả: chỉ có {result.page_count} trang.")
    places = _place_moves(parsed, req)
    if fmt == "json":
        return jsonify({**formats.search_json(result, notes, _url), "places": places})
    return render_template("search.html", result=result, req=req, notes=notes, errors=(),
                           places=places, **_facet_context(result))


def _place_moves(parsed: params.ParsedParams, req: SearchRequest) -> list[dict[str, str]]:
    """Old provinces the filter or the query named, each with where it went on 1 July 2025 and
    a link to each: the old province's own articles, and the whole new province's."""
    moves = dict.fromkeys([*parsed.moves, *gazetteer().mentioned_moves(req.q)])
    return [{"old": m.old, "new": m.new,
             "old_url": _url(SearchRequest(scheme="old", provinces=(m.old,))),
             "new_url": _url(SearchRequest(provinces=(m.new,)))} for m in moves]


def _facet_context(result: SearchResult) -> dict:
    req, gaz = result.request, gazetteer()
    facets = {name: present.facet_items(result, name, _url, gaz)
              for name in ("province", "kind", "type", "issuer", "cited", "source")}
    other_scheme = "old" if req.scheme == "new" else "new"
    return {
        "facets": facets,
        "chips": present.chips(req, _url),
        "has_filters": present.has_filters(req),
        "clear_url": _url(params.cleared(req)),
        "pages": present.page_links(result, _url),
        "prev_url": _url(params.with_page(req, req.page - 1)) if req.page > 1 else "",
        "next_url": (_url(params.with_page(req, req.page + 1))
                     if req.page < min(result.page_count, params.MAX_PAGE) else ""),
        "years": present.year_histogram(result, _url),
        "months": present.month_histogram(result, _url),
        "scheme_url": _url(params.with_scheme(req, other_scheme, gaz.mapping(req.scheme))),
        "took": present.vn_seconds(result.took_ms),
        "canonical": _url(req, external=True),
    }


class QueryFailed(Exception):
    """The search engine failed on this query while the index itself works."""


def _search(index: SearchIndex, req: SearchRequest) -> SearchResult:
    """``index.search``, telling a query the engine cannot run (a 400 for the user) from a
    damaged index (``IndexDamaged``, a 503: the index has read its files again and found it)."""
    try:
        return index.search(req)
    except IndexDamaged:
        raise
    except Exception as exc:
        if not req.q:
            raise
        log.warning("search failed for query %r: %s: %s", req.q[:200], type(exc).__name__, exc)
        raise QueryFailed(req.q) from exc


def _bad_request(fmt: str, parsed: params.ParsedParams,
                 retry: SearchRequest | None = None) -> Response | tuple[Response | str, int]:
    """A 400 in the format asked for; the HTML page keeps the form and offers ``retry`` (by
    default the same search without the values that were wrong)."""
    message = " ".join(parsed.errors)
    if fmt == "json":
        body = {"error": message, "errors": list(parsed.errors), "notes": list(parsed.notes)}
        return jsonify(body), 400
    if fmt in ("atom", "csv"):
        return Response(message + "\n", 400, mimetype="text/plain")
    req = parsed.request
    empty = SearchResult(req, 0, [], {}, 0.0)
    return render_template("search.html", result=empty, req=req, notes=list(parsed.notes),
                           errors=parsed.errors, retry_url=_url(retry or req),
                           **_facet_context(empty)), 400


def _atom(result: SearchResult, req: SearchRequest) -> Response:
    links = formats.FeedLinks(
        page=_url(req, external=True), feed=_url(req, "atom", external=True),
        article=lambda doc_id: external_url("article", article_id=doc_id))
    return Response(formats.atom_xml(result, links), mimetype="application/atom+xml")


def _csv(index: SearchIndex, req: SearchRequest) -> Response:
    """All matches up to CSV_MAX_ROWS, in the page's sort order (the page number is ignored)."""
    hits = []
    page_size = params.MAX_PAGE_SIZE
    for page in range(1, -(-CSV_MAX_ROWS // page_size) + 1):
        result = _search(index, replace(req, page=page, page_size=page_size))
        hits.extend(result.hits)
        if page >= result.page_count:
            break
    text = formats.csv_text(hits[:CSV_MAX_ROWS],
                            lambda doc_id: external_url("article", article_id=doc_id))
    response = Response(text.encode("utf-8"), mimetype="text/csv")     # text/*: "; charset=utf-8" added
    response.headers["Content-Disposition"] = 'attachment; filename="tin-cong-doan.csv"'
    return response


def _article_record(article_id: str) -> tuple[dict, list[dict]]:
    if len(article_id) > MAX_ID_CHARS:
        abort(404)
    index = get_index()
    record = index.get(article_id)
    if record is None:
        abort(404)
    return record, index.copies_of(article_id)


def article(article_id: str) -> str:
    """The cleaned article with its metadata, syndicated copies and related stories."""
    record, copies = _article_record(article_id)
    similar = _related(record, {c["id"] for c in copies})
    numbers = [d["number"] for d in record.get("doc_numbers", [])]
    return render_template("article.html", a=record, copies=copies, similar=similar,
                           numbers=numbers)


def _related(record: dict, copies: set[str]) -> list:
    """The "more like this" list; the article still shows when its search fails."""
    try:
        return related.more_like_this(get_index(), record, copies)
    except Exception:
        log.exception("more like this failed for %s", record.get("id"))
        return []


def number_url(number: str) -> str:
    """The search for one document number (a badge's link)."""
    return _url(SearchRequest(q=f"so_hieu:{number}"))


def article_json(article_id: str) -> Response:
    record, copies = _article_record(article_id)
    body = dict(record)
    body["html_url"] = url_for("article", article_id=article_id)
    body["copies"] = [{"id": c["id"], "url": c["url"], "title": c["title"],
                       "date": c.get("published", ""),
                       "source": c.get("source_title") or c.get("source", "")} for c in copies]
    return jsonify(body)


# -- errors ---------------------------------------------------------------------------------------

_MESSAGES = {
    404: ("Không tìm thấy trang",
          "Trang hoặc bài viết này không có (có thể đã bị gỡ khỏi chỉ mục)."),
    405: ("Phương thức không được hỗ trợ", "Trang này chỉ đọc được bằng GET."),
}
_OTHER = ("Yêu cầu không hợp lệ", "Máy chủ không xử lý được yêu cầu này.")


def _wants_json() -> bool:
    return request.path.endswith(".json")


def _http_error(exc: HTTPException) -> tuple:
    title, text = _MESSAGES.get(exc.code or 500, _OTHER)
    if _wants_json():
        return jsonify({"error": text, "status": exc.code}), exc.code
    return render_template("error.html", title=title, text=text, status=exc.code), exc.code


def _index_damaged(exc: IndexDamaged) -> Response:
    """503 while no index generation reads cleanly; the index logged the damage once."""
    title = "Chỉ mục bị hỏng"
    text = ("Chỉ mục tìm kiếm đang bị hỏng và đang được khôi phục. Vui lòng thử lại sau ít "
            "phút.")
    if _wants_json():
        response = jsonify({"error": text, "status": 503})
    else:
        try:
            response = Response(render_template("error.html", title=title, text=text,
                                                status=503), mimetype="text/html")
        except Exception:  # noqa: BLE001 - the error page itself must not fail
            response = Response(f"<!doctype html><title>{title}</title><p>{escape(text)}</p>",
                                mimetype="text/html")
    response.status_code = 503
    response.headers["Retry-After"] = "60"
    return response


def _server_error(exc: Exception) -> tuple:
    log.exception("unhandled error on %s", request.path)
    text = "Máy chủ gặp lỗi khi xử lý yêu cầu này. Vui lòng thử lại sau."
    if _wants_json():
        return jsonify({"error": text, "status": 500}), 500
    try:
        return render_template("error.html", title="Lỗi máy chủ", text=text, status=500), 500
    except Exception:  # noqa: BLE001 - the error page itself must not fail
        return f"<!doctype html><title>Lỗi</title><p>{escape(text)}</p>", 500

