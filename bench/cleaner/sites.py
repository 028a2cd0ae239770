"""Nine site templates (unlike the demo's three) that wrap ``articles.py`` in real-looking
Vietnamese boilerplate, and the gate's negative pages. Deterministic: same output every run.

Templates: ``ldo`` (Lao Động-like newspaper, .ldo URLs), ``vcc`` (VCCorp CMS: detail-title,
detail-sapo, data-role=content, related boxes inside the body), ``mcms`` (MasterCMS magazine with
counters), ``lfr`` (Liferay district portal: văn bản table, TTHC box, journal-content-article),
``wp`` (WordPress union branch with a comment list), ``shp`` (SharePoint party news site), ``amp``
(AMP view), ``prt`` (print view), ``jml`` (Joomla ward portal without visible dates; also hosts
an HTML directive).
"""
from __future__ import annotations

import html
import json
import random
from datetime import datetime, timedelta

from bench.cleaner import furniture as F
from bench.cleaner.articles import ARTICLES, DIRECTIVE, gold_body

WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
CLOCK = datetime(2025, 11, 20, 9, 41)          # "now" on the header clocks


def e(text: str) -> str:
    return html.escape(text, quote=True)


def _dt(a: dict) -> datetime:
    return datetime.fromisoformat(a["date"])


def _others(a: dict, n: int, shift: int = 1) -> list[dict]:
    i = ARTICLES.index(a) if a in ARTICLES else 0
    return [ARTICLES[(i + shift + k) % len(ARTICLES)] for k in range(n)]


def _paras(a: dict, render_p, render_h, render_fig, insert: dict[int, str] | None = None) -> str:
    out = []
    for i, line in enumerate(a["body"]):
        out.append(render_h(line[3:]) if line.startswith("## ") else render_p(line))
        if i in a["captions"]:
            out.append(render_fig(a["captions"][i], i))
        if insert and i in insert:
            out.append(insert[i])
    return "\n".join(out)


def _comments_html(rng: random.Random, item) -> str:
    picks = rng.sample(F.COMMENTS, 3)
    return "\n".join(item(name, text, k) for k, (name, text) in enumerate(picks))


# -- 1. Lao Động-like newspaper -------------------------------------------------------------------

def ldo(a: dict, rng: random.Random) -> tuple[str, str]:
    dt = _dt(a)
    url = f"https://laodong.test/cong-doan/{a['slug']}-{1100000 + rng.randrange(99999)}.ldo"
    rel = _others(a, 3)
    body = _paras(
        a, lambda p: f"<p>{e(p)}</p>", lambda h: f"<p><strong>{e(h)}</strong></p>",
        lambda c, i: (f'<figure class="insert-center-image"><img src="data:image/gif;base64,R0lGOD'
                      f'lhAQABAAAAACw=" data-src="https://media.laodong.test/{a["slug"]}-{i}.jpg" '
                      f'alt="{e(a["title"])}"><figcaption>{e(c)}</figcaption></figure>'),
        {1: '<div class="article-related"><div class="title">Tin liên quan</div><ul>' + "".join(
            f'<li><a href="/x/{r["slug"]}.ldo">{e(r["title"])}</a></li>' for r in rel) + "</ul></div>"})
    comments = _comments_html(rng, lambda n, t, k: (
        f'<div class="cmt-item"><div class="cmt-head"><b>{e(n)}</b> - <span>{k + 2} giờ trước</span>'
        f'</div><div class="cmt-text">{e(t)}</div><div class="cmt-act"><a>Trả lời</a> '
        f'<a>Thích</a></div></div>'))
    same = "".join(f'<article class="story"><h3><a href="/x/{r["slug"]}.ldo">{e(r["title"])}</a>'
                   f'</h3><p>{e(r["sapo"][:140])}…</p></article>' for r in _others(a, 5, 4))
    page = f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>{e(a['title'])} | Báo Lao Động</title>
<meta property="og:title" content="{e(a['title'])}"><meta property="og:type" content="article">
<meta name="description" content="{e(a['sapo'])}">
<script>window.dataLayer=window.dataLayer||[];</script></head><body>
<header class="site-header"><div class="top-bar"><span class="today">{WEEKDAYS[CLOCK.weekday()]}, {CLOCK:%d/%m/%Y}</span>
<a href="/dang-nhap">Đăng nhập</a> <a href="/dat-bao">Đặt báo</a></div>
<div class="logo"><a href="/"><img src="/logo.png" alt="Báo Lao Động"></a></div></header>
<nav class="main-nav"><ul>{''.join(f'<li><a href="/{k}">{m}</a></li>' for k, m in enumerate(F.MENU))}</ul></nav>
<div class="breadcrumbs"><a href="/">Trang chủ</a> › <a href="/cong-doan">Công đoàn</a></div>
<div class="wrapper"><div class="col-main">
<div class="article-detail">
<h1 class="title">{e(a['title'])}</h1>
<div class="meta"><span class="author">{e(a['author'])}</span> <span class="time"><time>{WEEKDAYS[dt.weekday()]}, {dt:%d/%m/%Y %H:%M} (GMT+7)</time></span></div>
<div class="chappeau"><p>{e(a['sapo'])}</p></div>
<div class="art-body">
{body}
</div>
<div class="tags"><span>Tags:</span> {' '.join(f'<a href="/tags/{k}">{t}</a>' for k, t in enumerate(F.TAGS[:4]))}</div>
<div class="box-share"><span>Chia sẻ</span> {' '.join(f'<a>{s}</a>' for s in F.SHARE[:3])}</div>
</div>
<div class="box-comment"><div class="title">Bình luận (3)</div>
{comments}
<div class="cmt-form"><textarea placeholder="Nhập bình luận"></textarea><p>Ý kiến của bạn sẽ được biên tập trước khi đăng. Vui lòng gõ tiếng Việt có dấu.</p></div></div>
<div class="box-cungchuyenmuc"><h3>Tin cùng chuyên mục</h3>{same}</div>
</div><aside class="col-right"><div class="box-most"><h3>Đọc nhiều</h3><ol>{''.join(f'<li><a href="/t/{k}">{e(t)}</a></li>' for k, (t, _) in enumerate(F.PROVINCIAL_TEASERS))}</ol></div>
<div class="adv">{F.AD_TEXTS[0]}</div></aside></div>
<footer class="site-footer"><p>Cơ quan của Tổng Liên đoàn Lao động Việt Nam. Tổng Biên tập: Nguyễn Ngọc Hiển</p>
<p>Tòa soạn: Số 6 Phạm Văn Bạch, quận Cầu Giấy, Hà Nội. Điện thoại: 024 3825 2441</p>
<p>{F.COPYRIGHT.format(site='Báo Lao Động')}</p></footer></body></html>"""
    return url, page


# -- 2. VCCorp CMS newspaper ----------------------------------------------------------------------

def vcc(a: dict, rng: random.Random) -> tuple[str, str]:
    dt = _dt(a)
    url = f"https://nld.test/{a['slug']}-{dt:%Y%m%d%H%M%S}{rng.randrange(100, 999)}.htm"
    rel = _others(a, 2, 2)
    related_box = ('<div class="VCSortableInPreviewMode" type="RelatedNewsBox"><div class="kbwscwl-relatedbox">'
                   '<strong>ĐỌC THÊM</strong><ul>' + "".join(
                       f'<li><a href="/{r["slug"]}.htm" title="{e(r["title"])}">{e(r["title"])}</a></li>'
                       for r in rel) + "</ul></div></div>")
    body = _paras(
        a, lambda p: f"<p>{e(p)}</p>", lambda h: f"<h2>{e(h)}</h2>",
        lambda c, i: (f'<figure class="VCSortableInPreviewMode" type="Photo"><div><img data-original='
                      f'"https://nld.mediacdn.test/{i}.jpg" src="https://nld.mediacdn.test/thumb/{i}.jpg"'
                      f' alt="{e(c)}" title="{e(c)}"></div><figcaption class="PhotoCMS_Caption"><p '
                      f'data-placeholder="[nhập chú thích]">{e(c)}</p></figcaption></figure>'),
        {0: related_box})
    author_line = f'<p style="text-align: right;"><b>{e(a["author"])}</b></p>' if a["author"] else ""
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{e(a['title'])} - Báo Người Lao Động Online</title>
<meta property="og:title" content="{e(a['title'])}"><meta property="og:type" content="article">
<meta property="article:published_time" content="{dt.isoformat()}">
<meta name="description" content="{e(a['sapo'])}"></head><body>
<div class="header"><div class="menu-top">{''.join(f'<a href="/{k}.htm">{m}</a>' for k, m in enumerate(F.MENU))}</div>
<div class="weather">Hà Nội 24°C - TP HCM 31°C</div></div>
<div class="main-detail"><div class="detail-cate"><a href="/cong-doan.htm">Công đoàn</a></div>
<h1 class="detail-title article-title" data-role="title">{e(a['title'])}</h1>
<div class="detail-top"><div class="detail-author">{e(a['author'])}</div><div class="detail-time" data-role="publishdate">{dt:%d/%m/%Y %H:%M} GMT+7</div>
<div class="detail-share"><a>Chia sẻ</a> <a>Lưu</a></div></div>
<div class="detail-cmain">
<h2 class="detail-sapo" data-role="sapo">{e(a['sapo'])}</h2>
<div class="detail-content afcbc-body" data-role="content">
{body}
{author_line}
</div>
<div class="detail-tab"><span>Từ khóa:</span> {' '.join(f'<a href="/t/{k}.htm">{t}</a>' for k, t in enumerate(F.TAGS[2:6]))}</div>
</div></div>
<div class="box-comment" id="comment"><div class="bc-title">Ý kiến bạn đọc</div><span>0 bình luận</span>
<script type="text/template" id="cmt-tpl"><div class="item"><b>{{name}}</b> - {{time}}<p>{{body}}</p></div></script>
<div class="bc-note">Ý kiến của bạn sẽ được biên tập trước khi đăng. Xin vui lòng gõ tiếng Việt có dấu</div></div>
<div class="box-category"><div class="box-title">Xem thêm</div>{''.join(f'<div class="box-category-item"><a href="/{r["slug"]}.htm"><img src="/t.jpg" alt=""></a><h3><a href="/{r["slug"]}.htm">{e(r["title"])}</a></h3><p class="sapo">{e(r["sapo"])}</p></div>' for r in _others(a, 4, 6))}</div>
<div class="footer"><p>Cơ quan chủ quản: Thành ủy TP Hồ Chí Minh. Tổng biên tập: Tô Đình Tuân</p>
<p>Địa chỉ: 123 Võ Văn Tần, Quận 3, TP.HCM</p><p>{F.COPYRIGHT.format(site='Báo Người Lao Động')}</p></div>
</body></html>"""
    return url, page


# -- 3. MasterCMS magazine --------------------------------------------------------------------------

def mcms(a: dict, rng: random.Random) -> tuple[str, str]:
    dt = _dt(a)
    url = f"https://laodongcongdoan.test/{a['category'].lower().replace(' ', '-')}/{a['slug']}-{rng.randrange(10000, 99999)}.html"
    body = _paras(
        a, lambda p: f'<p style="text-align: justify;">{e(p)}</p>',
        lambda h: f'<p style="text-align: justify;"><strong>{e(h)}</strong></p>',
        lambda c, i: (f'<table class="MASTERCMS_TPL_TABLE"><tr><td><img src="/uploads/{i}.jpg" '
                      f'style="width:100%"></td></tr><tr><td><p class="caption">{e(c)}</p></td></tr></table>'))
    counter = rng.randrange(1000000, 9000000)
    same = "".join(f'<li><a href="/x/{r["slug"]}.html">{e(r["title"])}</a> <span>({_dt(r):%d/%m/%Y})</span></li>'
                   for r in _others(a, 5, 3))
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{e(a['title'])}</title><meta property="og:title" content="{e(a['title'])}">
<meta property="og:description" content="{e(a['sapo'])}"></head><body>
<div class="c-header"><div class="c-clock">{WEEKDAYS[CLOCK.weekday()]}, {CLOCK:%d/%m/%Y %H:%M}</div>
<div class="c-logo">TẠP CHÍ LAO ĐỘNG VÀ CÔNG ĐOÀN</div>
<ul class="c-menu">{''.join(f'<li><a href="/{k}">{m}</a></li>' for k, m in enumerate(F.MENU[:8]))}</ul></div>
<div class="c-main"><div class="c-left">
<div class="c-cat"><a href="/">Trang chủ</a> / <a href="/c">{e(a['category'])}</a></div>
<h1 class="article-detail-title">{e(a['title'])}</h1>
<div class="c-info"><span class="format_time">{WEEKDAYS[dt.weekday()]}, {dt:%d/%m/%Y} - {dt:%H:%M}</span>
<span class="c-tools"><a>In bài</a> <a>Gửi bài viết</a> <a>Chia sẻ</a></span></div>
<div class="article-detail-desc">{e(a['sapo'])}</div>
<div class="__MASTERCMS_CONTENT">
{body}
<p style="text-align: right;"><strong>{e(a['author'])}</strong></p>
</div>
<div class="c-box"><div class="c-box-title">Tin cùng chuyên mục</div><ul>{same}</ul></div>
</div>
<div class="c-right">
<div class="c-box"><div class="c-box-title">Thông tin truy cập</div><div>Đang truy cập: {rng.randrange(10, 99)}</div>
<div>Hôm nay: {rng.randrange(1000, 9999)}</div><div>Tổng lượt truy cập: {counter}</div></div>
<div class="c-box"><div class="c-box-title">Liên kết website</div><select><option>Tổng LĐLĐ Việt Nam</option></select></div>
</div></div>
<div class="c-foot">Tạp chí Lao động và Công đoàn - Cơ quan của Tổng Liên đoàn Lao động Việt Nam<br>
Giấy phép số 456/GP-BTTTT. Địa chỉ: 65 Quán Sứ, Hoàn Kiếm, Hà Nội</div></body></html>"""
    return url, page


# -- 4. Liferay district portal ----------------------------------------------------------------------

def lfr(a: dict, rng: random.Random) -> tuple[str, str]:
    dt = _dt(a)
    url = f"https://huyenthachha.test/web/thach-ha/tin-tuc/-/asset_publisher/AbCd/content/{a['slug']}"
    docs = "".join(f"<tr><td>{n}</td><td>{d}</td><td><a href='/vb/{k}'>{e(s)}</a></td></tr>"
                   for k, (n, d, s) in enumerate(F.DOC_TABLE))
    sapo = f"<p><strong>{e(a['sapo'])}</strong></p>"
    body = _paras(
        a, lambda p: f'<p style="text-align:justify">{e(p)}</p>',
        lambda h: f'<p style="text-align:justify"><strong>{e(h)}</strong></p>',
        lambda c, i: (f'<p style="text-align:center"><img src="/documents/{i}.jpg" alt=""></p>'
                      f'<p style="text-align:center"><em>{e(c)}</em></p>'))
    others = "".join(f'<li><a href="/c/{r["slug"]}">{e(r["title"])}</a> ({_dt(r):%d/%m/%Y})</li>'
                     for r in _others(a, 6, 5))
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{e(a['title'])} - Cổng thông tin điện tử huyện Thạch Hà</title></head><body>
<div id="banner"><div class="banner-date">{WEEKDAYS[CLOCK.weekday()]}, ngày {CLOCK.day} tháng {CLOCK.month} năm {CLOCK.year}</div>
<div class="banner-name">CỔNG THÔNG TIN ĐIỆN TỬ HUYỆN THẠCH HÀ</div></div>
<div id="navigation"><ul>{''.join(f'<li><a href="/p{k}">{m}</a></li>' for k, m in enumerate(F.PORTAL_MENU))}</ul></div>
<div id="content"><div class="columns-1-3">
<div class="column-1"><section class="portlet" id="portlet_vanban"><h2 class="portlet-title">Văn bản mới</h2>
<table class="van-ban"><tr><th>Số hiệu</th><th>Ngày ban hành</th><th>Trích yếu</th></tr>{docs}</table></section>
<section class="portlet"><h2 class="portlet-title">Kết quả giải quyết TTHC</h2><div>Đến tháng 11 đã giải quyết:</div><div>98,6%</div>
<div>Số hồ sơ tiếp nhận: {rng.randrange(500, 900)}</div><div>Trước &amp; đúng hạn: 812</div><div>Trễ hạn: 3</div>
<div>( Cập nhật lúc:{CLOCK:%d/%m/%Y} 08:00:00)</div></section></div>
<div class="column-2"><section class="portlet" id="portlet_101_INSTANCE_x"><div class="portlet-body">
<div class="asset-full-content"><div class="taglib-header"><h3 class="header-title"><span>{e(a['title'])}</span></h3></div>
<div class="asset-date">Ngày đăng: {dt:%d/%m/%Y} | Lượt xem: {rng.randrange(100, 3000)}</div>
<div class="journal-content-article">{sapo}
{body}
<p style="text-align:right"><strong>{e(a['author'] or 'Văn phòng HĐND - UBND huyện')}</strong></p>
</div>
<div class="asset-links"><a>In trang</a> | <a>Gửi email</a> | <a>Về đầu trang</a></div>
</div></div></section>
<section class="portlet"><h2 class="portlet-title">Các tin khác</h2><ul>{others}</ul></section></div></div></div>
<div id="footer"><p>CỔNG THÔNG TIN ĐIỆN TỬ HUYỆN THẠCH HÀ - TỈNH HÀ TĨNH</p>
<p>Cơ quan chủ quản: Ủy ban nhân dân huyện Thạch Hà. Địa chỉ: thị trấn Thạch Hà, huyện Thạch Hà, tỉnh Hà Tĩnh</p>
<p>Đang truy cập: {rng.randrange(5, 50)} | Hôm nay: {rng.randrange(100, 999)} | Tổng truy cập: {rng.randrange(100000, 999999)}</p></div>
</body></html>"""
    return url, page


# -- 5. WordPress union branch ---------------------------------------------------------------------

def wp(a: dict, rng: random.Random) -> tuple[str, str]:
    dt = _dt(a)
    url = f"https://congdoanvinhphat.test/{dt:%Y/%m/%d}/{a['slug']}/"
    body = _paras(
        a, lambda p: f"<p>{e(p)}</p>", lambda h: f"<h3>{e(h)}</h3>",
        lambda c, i: (f'<div id="attachment_{i}" class="wp-caption aligncenter"><img class="size-large '
                      f'wp-image-{i}" src="/wp-content/uploads/{i}.jpg" alt=""><p class="wp-caption-text">'
                      f'{e(c)}</p></div>'))
    comments = _comments_html(rng, lambda n, t, k: (
        f'<li class="comment"><article class="comment-body"><footer class="comment-meta"><div class="comment-author vcard">'
        f'<b class="fn">{e(n)}</b> <span class="says">viết:</span></div><div class="comment-metadata">'
        f'<a><time>{(dt + timedelta(days=k + 1)):%d/%m/%Y} lúc {8 + k}:05 sáng</time></a></div></footer>'
        f'<div class="comment-content"><p>{e(t)}</p></div><div class="reply"><a>Trả lời</a></div></article></li>'))
    recent = "".join(f'<li><a href="/{r["slug"]}/">{e(r["title"])}</a></li>' for r in _others(a, 5, 7))
    page = f"""<!DOCTYPE html><html lang="vi"><head><meta charset="UTF-8">
<title>{e(a['title'])} &#8211; Công đoàn cơ sở Công ty Vĩnh Phát</title>
<meta property="og:type" content="article"><meta property="og:title" content="{e(a['title'])}">
<meta property="article:published_time" content="{dt.isoformat()}"></head>
<body class="post-template-default single single-post">
<header id="masthead" class="site-header"><p class="site-title"><a href="/">Công đoàn cơ sở Công ty Vĩnh Phát</a></p>
<p class="site-description">Vì quyền lợi người lao động</p>
<nav id="site-navigation" class="main-navigation"><ul>{''.join(f'<li><a href="/m{k}">{m}</a></li>' for k, m in enumerate(F.MENU[:6]))}</ul></nav></header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
<article id="post-{rng.randrange(100, 999)}" class="post type-post status-publish hentry">
<header class="entry-header"><h1 class="entry-title">{e(a['title'])}</h1>
<div class="entry-meta"><span class="posted-on">Đăng ngày <a href="/{dt:%Y/%m/%d}/" rel="bookmark"><time class="entry-date published" datetime="{dt.isoformat()}">{dt.day} Tháng {dt.month}, {dt.year}</time></a></span>
<span class="byline"> bởi <span class="author vcard"><a href="/author/admin/">admin</a></span></span></div></header>
<div class="entry-content"><p><strong>{e(a['sapo'])}</strong></p>
{body}
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Chia sẻ:</h3><ul><li><a>Facebook</a></li><li><a>Twitter</a></li></ul></div>
<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline"><em>Có liên quan</em></h3>
{''.join(f'<div class="jp-relatedposts-post"><h4 class="jp-relatedposts-post-title"><a href="/{r["slug"]}/">{e(r["title"])}</a></h4><p class="jp-relatedposts-post-context">Trong &quot;{e(r["category"])}&quot;</p></div>' for r in _others(a, 3, 9))}</div>
</div>
<footer class="entry-footer"><span class="cat-links">Chuyên mục: <a>{e(a['category'])}</a></span> <span class="tags-links">Thẻ: {', '.join(f'<a>{t}</a>' for t in F.TAGS[:3])}</span></footer>
</article>
<nav class="navigation post-navigation"><div class="nav-previous"><a>Bài trước: {e(_others(a, 1, 10)[0]['title'])}</a></div>
<div class="nav-next"><a>Bài sau: {e(_others(a, 1, 11)[0]['title'])}</a></div></nav>
<div id="comments" class="comments-area"><h2 class="comments-title">3 bình luận về &ldquo;{e(a['title'])}&rdquo;</h2>
<ol class="comment-list">{comments}</ol>
<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Để lại một bình luận</h3>
<p class="comment-notes">Email của bạn sẽ không được hiển thị công khai. Các trường bắt buộc được đánh dấu *</p></div></div>
</main></div>
<aside id="secondary" class="widget-area"><section class="widget widget_search"><form><input type="search" placeholder="Tìm kiếm"></form></section>
<section class="widget widget_recent_entries"><h2 class="widget-title">Bài viết mới</h2><ul>{recent}</ul></section>
<section class="widget widget_archive"><h2 class="widget-title">Lưu trữ</h2><ul><li><a>Tháng Ba 2024</a></li><li><a>Tháng Hai 2024</a></li><li><a>Tháng Một 2024</a></li></ul></section></aside></div>
<footer id="colophon" class="site-footer"><div class="site-info">Công đoàn cơ sở Công ty TNHH Vĩnh Phát - KCN Quang Minh, Hà Nội | Vận hành bởi WordPress</div></footer>
</body></html>"""
    return url, page


# -- 6. SharePoint party news site ---------------------------------------------------------------

def shp(a: dict, rng: random.Random) -> tuple[str, str]:
    dt = _dt(a)
    url = f"https://dangcongsan.test/cong-doan/{a['slug']}-{rng.randrange(600000, 699999)}.html"
    body = _paras(
        a, lambda p: f'<p style="text-align:justify;">{e(p)}</p>',
        lambda h: f'<p style="text-align:justify;"><b>{e(h)}</b></p>',
        lambda c, i: (f'<table align="center" class="image"><tbody><tr><td><img src="/DATA/{i}.jpg" '
                      f'alt="" /></td></tr><tr><td class="image_desc">{e(c)}</td></tr></tbody></table>'))
    others = "".join(f'<li><a href="/{r["slug"]}.html">{e(r["title"])}</a> <span class="date">({_dt(r):%d/%m/%Y})</span></li>'
                     for r in _others(a, 6, 2))
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{e(a['title'])}</title><meta name="description" content="{e(a['sapo'])}"></head><body>
<form id="aspnetForm"><div id="s4-workspace"><div id="ctl00_divHeader" class="hdr">
<div class="hdr-clock">{WEEKDAYS[CLOCK.weekday()]}, {CLOCK:%d/%m/%Y} {CLOCK:%H:%M} (GMT+7)</div>
<div class="hdr-logo">BÁO ĐIỆN TỬ ĐẢNG CỘNG SẢN VIỆT NAM</div>
<ul class="hdr-mn">{''.join(f'<li><a href="/m{k}">{m}</a></li>' for k, m in enumerate(F.MENU[:9]))}</ul></div>
<div id="ctl00_PlaceHolderMain_g_1" class="zone-main">
<div class="path"><a href="/">Trang chủ</a> &gt; <a href="/cong-doan">Công đoàn</a></div>
<div id="ngaytao" class="dt">{WEEKDAYS[dt.weekday()]}, {dt.day}/{dt.month}/{dt.year} | {dt.hour}:{dt:%M}</div>
<h1 id="contenttitle">{e(a['title'])}</h1>
<div id="description" class="sp-des"><b>{e(a['sapo'])}</b></div>
<div class="noidungtt ms-rtestate-field">
{body}
<p style="text-align:right;"><b>{e(a['author'])}</b></p>
</div>
<div class="tool-bar">Cỡ chữ: <a>A</a> <a>A</a> <a>A</a> | <a>In bài</a> | <a>Gửi bài viết cho bạn bè</a> | <a>Chia sẻ</a></div>
<div class="dv-cac-tin"><h3>Các tin, bài viết khác</h3><ul>{others}</ul></div>
<div class="dv-form"><h3>Gửi ý kiến của bạn</h3><p>Họ và tên:</p><p>Email:</p><p>Ý kiến của bạn sẽ được biên tập trước khi đăng.</p></div>
</div>
<div class="ftr"><p>BÁO ĐIỆN TỬ ĐẢNG CỘNG SẢN VIỆT NAM - Cơ quan của Ban Chấp hành Trung ương Đảng</p>
<p>Tòa soạn: 381 Đội Cấn, Ba Đình, Hà Nội</p></div></div></form></body></html>"""
    return url, page


# -- 7. AMP view -------------------------------------------------------------------------------------

def amp(a: dict, rng: random.Random) -> tuple[str, str]:
    dt = _dt(a)
    url = f"https://baocongnhan.test/amp/{a['slug']}-{rng.randrange(1000, 9999)}.amp"
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a["title"],
          "datePublished": dt.isoformat(), "author": {"@type": "Person", "name": a["author"]}}
    body = _paras(
        a, lambda p: f"<p>{e(p)}</p>", lambda h: f"<h2>{e(h)}</h2>",
        lambda c, i: (f'<figure><amp-img src="/i/{i}.jpg" width="800" height="450" layout="responsive">'
                      f'</amp-img><figcaption>{e(c)}</figcaption></figure>'),
        {2: '<amp-ad width="300" height="250" type="adsense"></amp-ad>'})
    rel = "".join(f'<li><a href="/amp/{r["slug"]}.amp">{e(r["title"])}</a></li>' for r in _others(a, 3, 8))
    page = f"""<!doctype html><html ⚡ lang="vi"><head><meta charset="utf-8">
<title>{e(a['title'])} - Báo Công Nhân Online</title>
<link rel="canonical" href="https://baocongnhan.test/{a['slug']}.html">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
<style amp-custom>body{{font-family:Arial}}</style></head><body>
<amp-sidebar id="sb" layout="nodisplay"><ul>{''.join(f'<li><a href="/amp/{k}">{m}</a></li>' for k, m in enumerate(F.MENU))}</ul></amp-sidebar>
<header class="amp-hdr"><button on="tap:sb.toggle">☰</button> <a href="/amp">Báo Công Nhân</a></header>
<main><article>
<div class="amp-cat">{e(a['category'])}</div>
<h1>{e(a['title'])}</h1>
<div class="amp-meta">{e(a['author'])} · {dt:%d/%m/%Y %H:%M}</div>
<p class="sapo">{e(a['sapo'])}</p>
{body}
<amp-social-share type="facebook"></amp-social-share><amp-social-share type="zalo"></amp-social-share>
<div class="amp-rel"><h3>Tin liên quan</h3><ul>{rel}</ul></div>
</article></main>
<footer class="amp-ftr">Báo Công Nhân Online - Xem phiên bản đầy đủ | {F.COPYRIGHT.format(site='Báo Công Nhân')}</footer>
</body></html>"""
    return url, page


# -- 8. Print view -----------------------------------------------------------------------------------

def prt(a: dict, rng: random.Random) -> tuple[str, str]:
    dt = _dt(a)
    url = f"https://congdoantinh.test/print/{a['slug']}.html"
    body = _paras(
        a, lambda p: f"<p>{e(p)}</p>", lambda h: f"<p><b>{e(h)}</b></p>",
        lambda c, i: f'<div class="pic"><img src="/i/{i}.jpg"><div>{e(c)}</div></div>')
    page = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>In bài: {e(a['title'])}</title></head><body onload="window.print()">
<div class="p-head"><span>LIÊN ĐOÀN LAO ĐỘNG - CỔNG THÔNG TIN ĐIỆN TỬ</span><span style="float:right">In ngày: {CLOCK:%d/%m/%Y %H:%M}</span></div><hr>
<div class="p-title" style="font-size:20px;font-weight:bold">{e(a['title'])}</div>
<div class="p-date">Ngày đăng: {dt:%d/%m/%Y} | {dt:%H:%M}</div>
<div class="p-sapo"><i>{e(a['sapo'])}</i></div>
<div class="p-body">
{body}
<p>Theo {rng.choice(['Báo Lao Động', 'Tạp chí Lao động và Công đoàn', 'congdoan.vn'])}</p>
</div>
<div class="p-author" style="text-align:right">Tác giả: {e(a['author'])}</div>
<hr><div class="p-foot">Địa chỉ bài viết: https://congdoantinh.test/tin/{a['slug']}.html<br>
Bản quyền © Liên đoàn Lao động. Không sao chép khi chưa được phép. <a href="javascript:window.print()">In bài</a> | <a href="javascript:window.close()">Đóng</a></div>
</body></html>"""
    return url, page


# -- 9. Joomla ward portal (no visible date) ---------------------------------------------------------

def jml(a: dict, rng: random.Random) -> tuple[str, str]:
    url = f"https://phuongtanmai.test/index.php/tin-tuc/{rng.randrange(100, 999)}-{a['slug']}"
    body_lines = a["body"] if not a.get("sapo") else [a["sapo"], *a["body"]]
    paras = "\n".join(f"<p>{e(x[3:] if x.startswith('## ') else x)}</p>" for x in body_lines)
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{e(a['title'])}</title>
<meta name="generator" content="Joomla! - Open Source Content Management"></head><body>
<div class="bnr"><img src="/images/banner.jpg" alt="TRANG THÔNG TIN ĐIỆN TỬ PHƯỜNG TÂN MAI"></div>
<div class="moduletable_menu"><ul>{''.join(f'<li><a href="/p{k}">{m}</a></li>' for k, m in enumerate(F.PORTAL_MENU))}</ul></div>
<div class="row"><div class="span3"><div class="moduletable"><h3>Dịch vụ công trực tuyến</h3><ul><li><a>Nộp hồ sơ trực tuyến</a></li><li><a>Tra cứu hồ sơ</a></li></ul></div>
<div class="moduletable"><h3>Thăm dò ý kiến</h3><p>Bạn đánh giá thế nào về trang thông tin?</p><p>Tốt</p><p>Bình thường</p></div></div>
<div class="span9"><div class="item-page" itemscope itemtype="https://schema.org/Article">
<div class="page-header"><h2 itemprop="headline">{e(a['title'])}</h2></div>
<dl class="article-info muted"><dd class="hits">Lượt xem: {rng.randrange(50, 900)}</dd></dl>
<div itemprop="articleBody">
{paras}
</div>
<ul class="pager pagenav"><li class="previous"><a>&lt; Trước</a></li><li class="next"><a>Tiếp theo &gt;</a></li></ul>
</div></div></div>
<div class="ftr">TRANG THÔNG TIN ĐIỆN TỬ PHƯỜNG TÂN MAI<br>Địa chỉ: số 2 phố Tân Mai, phường Tân Mai<br>
Đang truy cập: {rng.randrange(3, 30)}<br>Hôm nay: {rng.randrange(50, 500)}<br>Tất cả: {rng.randrange(10000, 99999)}</div>
</body></html>"""
    return url, page


def _stamp(a: dict) -> str:
    place = a["province"][0]
    return "" if place == "Toàn quốc" else f'<span class="location-stamp">{e(place)} - </span>'


# -- 10. Old table-layout provincial portal (ASP) ----------------------------------------------------

def tbl(a: dict, rng: random.Random) -> tuple[str, str]:
    dt = _dt(a)
    url = f"https://ldldtinh.test/Default.aspx?tabid=72&ItemID={rng.randrange(1000, 9999)}"
    chunks = []
    for i, line in enumerate(a["body"]):
        chunks.append(f"<b>{e(line[3:])}</b>" if line.startswith("## ") else e(line))
        if i in a["captions"]:
            chunks.append(f'</div><div align="center"><img src="/Portals/0/{i}.jpg" border="0"></div>'
                          f'<div align="center"><i>{e(a["captions"][i])}</i></div><div align="justify">')
    body = "<br><br>".join(chunks)
    others = "<br>".join(f'- <a href="/Default.aspx?ItemID={k}">{e(r["title"])}</a> ({_dt(r):%d/%m/%Y})'
                         for k, r in enumerate(_others(a, 6, 4)))
    menu = "".join(f'<tr><td class="m"><a href="/m{k}">{m}</a></td></tr>' for k, m in enumerate(F.PORTAL_MENU))
    page = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>LIÊN ĐOÀN LAO ĐỘNG TỈNH &gt; Tin tức &gt; {e(a['title'])}</title></head><body>
<table width="1000" align="center" cellpadding="0" cellspacing="0">
<tr><td colspan="2"><img src="/Portals/0/bannerldld.jpg" alt="LIÊN ĐOÀN LAO ĐỘNG TỈNH"></td></tr>
<tr><td width="210" valign="top"><table width="100%">{menu}</table>
<table width="100%"><tr><td class="t">THỐNG KÊ TRUY CẬP</td></tr><tr><td>Số lượt truy cập: {rng.randrange(100000, 999999)}</td></tr>
<tr><td>Đang online: {rng.randrange(5, 60)}</td></tr></table></td>
<td valign="top"><table width="100%" cellpadding="4">
<tr><td class="tieude_tin">{e(a['title'])}</td></tr>
<tr><td class="ngay_dang">Cập nhật: {dt:%d/%m/%Y %H:%M}</td></tr>
<tr><td class="tomtat"><b>{e(a['sapo'])}</b></td></tr>
<tr><td class="noidung"><div align="justify">{body}</div></td></tr>
<tr><td align="right"><b>{e(a['author'])}</b></td></tr>
<tr><td><b>Các tin khác:</b><br>{others}</td></tr>
</table></td></tr>
<tr><td colspan="2" class="ft" align="center">Bản quyền thuộc Liên đoàn Lao động tỉnh. Ghi rõ nguồn khi đăng lại.<br>
Thiết kế bởi Trung tâm Công nghệ thông tin</td></tr></table></body></html>"""
    return url, page


# -- 11. VnExpress-like newspaper: date above the title, teaser box with leads inside the body -------

def vne(a: dict, rng: random.Random) -> tuple[str, str]:
    dt = _dt(a)
    url = f"https://tinnhanh.test/{a['slug']}-{rng.randrange(4000000, 4999999)}.html"
    rel = _others(a, 2, 6)
    box = ('<div class="xk8"><div class="xk9">Tin liên quan</div>' + "".join(
        f'<div class="xk1"><a href="/{r["slug"]}.html"><img src="/t.jpg" alt=""></a><h4><a href="/{r["slug"]}.html">'
        f'{e(r["title"])}</a></h4><p>{e(r["sapo"])}</p></div>' for r in rel) + "</div>")
    body = _paras(
        a, lambda p: f'<p class="Normal">{e(p)}</p>', lambda h: f'<h2 class="Normal">{e(h)}</h2>',
        lambda c, i: (f'<figure class="tplCaption"><div class="fig-picture"><img src="/i/{i}.jpg" alt="{e(c)}">'
                      f'</div><figcaption><p class="Image">{e(c)}</p></figcaption></figure>'),
        {1: box})
    comments = "".join(
        f'<div class="cm"><div class="cm-top"><b>{e(n)}</b> · <span>{k + 1} giờ trước</span></div>'
        f'<p class="cm-text">{e(t)}</p><div class="cm-act"><a>Thích</a> <a>Trả lời</a> <a>Chia sẻ</a></div></div>'
        for k, (n, t) in enumerate(F.COMMENTS[:3]))
    page = f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>{e(a['title'])} - Tin Nhanh</title>
<meta name="description" content="{e(a['sapo'])}"><meta property="og:type" content="article">
<meta name="pubdate" content="{dt.isoformat()}"></head><body>
<header class="hd"><a class="logo" href="/">Tin Nhanh</a><span class="time-now">{WEEKDAYS[CLOCK.weekday()]}, {CLOCK:%d/%m/%Y}</span>
<nav>{''.join(f'<a href="/{k}">{m}</a>' for k, m in enumerate(F.MENU))}</nav></header>
<section class="sidebar_1"><div class="header-content"><ul class="bc"><li><a href="/">Trang chủ</a></li><li><a>{e(a['category'])}</a></li></ul>
<span class="date">{WEEKDAYS[dt.weekday()]}, {dt.day}/{dt.month}/{dt.year}, {dt:%H:%M} (GMT+7)</span></div>
<h1 class="title-detail">{e(a['title'])}</h1>
<p class="description">{_stamp(a)}{e(a['sapo'])}</p>
<article class="fck_detail">
{body}
<p class="Normal" style="text-align:right;"><strong>{e(a['author'])}</strong></p>
</article>
<div class="footer-content"><div class="social"><a>Facebook</a> <a>Twitter</a></div><div class="tags"><h4>Tags</h4>{' '.join(f'<a>{t}</a>' for t in F.TAGS[:3])}</div></div>
<div class="box-cm"><h3>Ý kiến (3)</h3>{comments}</div>
</section>
<section class="sidebar_2"><div class="box-most"><h3>Xem nhiều</h3>{''.join(f'<article><h3><a>{e(t)}</a></h3><p>{e(sp)}</p></article>' for t, sp in F.PROVINCIAL_TEASERS[:4])}</div></section>
<footer><p>Tin Nhanh - Báo tiếng Việt nhiều người xem nhất. Thuộc Bộ Khoa học và Công nghệ.</p><p>Địa chỉ: Tòa nhà FPT, 10 Phạm Văn Bạch, Cầu Giấy, Hà Nội</p></footer>
</body></html>"""
    return url, page


#: Templates shaped like a source of corpus/sources.toml, whose selectors then apply.
SOURCE_OF = {"ldo": "laodong-congdoan", "vcc": "nld-com-vn", "mcms": "laodongcongdoan-vn",
             "shp": "dangcongsan-vn"}

TEMPLATES = {"ldo": ldo, "vcc": vcc, "mcms": mcms, "lfr": lfr, "wp": wp, "shp": shp, "amp": amp,
             "prt": prt, "tbl": tbl, "vne": vne}
ALL_TEMPLATES = [*TEMPLATES, "jml"]


def _fetched(a: dict, days: int = 6) -> str:
    return (_dt(a) + timedelta(days=days)).replace(hour=12, minute=0).isoformat()


def article_cases() -> list[dict]:
    """Every article page with its gold: 16 articles × 3 templates, plus the Joomla pages."""
    cases = []
    names = list(TEMPLATES)
    for i, a in enumerate(a for a in ARTICLES if not a.get("lead_date")):
        for off in (0, 3, 5):
            name = names[(i + off) % len(names)]
            rng = random.Random(f"{name}/{a['slug']}")
            url, page = TEMPLATES[name](a, rng)
            cases.append(_case(name, url, page, a))
    for a in [*(a for a in ARTICLES if a.get("lead_date")), DIRECTIVE]:
        rng = random.Random(f"jml/{a['slug']}")
        url, page = jml(a, rng)
        cases.append(_case("jml", url, page, a))
    return cases


def _case(template: str, url: str, page: str, a: dict) -> dict:
    return {"id": f"{template}/{a['slug']}", "template": template, "url": url, "html": page,
            "source": SOURCE_OF.get(template, ""),
            "fetched_at": _fetched(a), "is_article": True, "title": a["title"],
            "sapo": a["sapo"], "body": gold_body(a), "captions": list(a["captions"].values()),
            "date": a["date"][:10], "province_old": a["province"][0],
            "province_new": a["province"][1], "docs": a["docs"]}


# -- negatives for the gate ---------------------------------------------------------------------------

def _teasers(n: int, shift: int, with_sapo: bool = True) -> str:
    out = []
    for r in _others(ARTICLES[0], n, shift):
        sapo = f"<p>{e(r['sapo'])}</p>" if with_sapo else ""
        out.append(f'<div class="item"><a href="/{r["slug"]}.html"><img src="/t.jpg" alt=""></a>'
                   f'<h3><a href="/{r["slug"]}.html">{e(r["title"])}</a></h3>'
                   f'<span class="d">{_dt(r):%d/%m/%Y}</span>{sapo}</div>')
    return "\n".join(out)


def _shell(title: str, inner: str, site: str = "Báo Lao Động") -> str:
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{e(title)}</title>'
            f'<meta property="og:type" content="website"></head><body>'
            f'<div class="hd"><a href="/">{e(site)}</a> <span>{WEEKDAYS[CLOCK.weekday()]}, {CLOCK:%d/%m/%Y}</span></div>'
            f'<ul class="mn">{"".join(f"<li><a href=/m{k}>{m}</a></li>" for k, m in enumerate(F.MENU))}</ul>'
            f'{inner}<div class="ft">{F.COPYRIGHT.format(site=site)} Địa chỉ: 6 Phạm Văn Bạch, Hà Nội</div></body></html>')


def negative_cases() -> list[dict]:
    neg: list[tuple[str, str, str]] = []      # (kind, url, html)
    # home pages: one lead story with its sapo, then teaser grids
    lead = ARTICLES[3]
    for k, (site, url) in enumerate([("Báo Lao Động", "https://laodong.test/"),
                                     ("Báo Người Lao Động", "https://nld.test/trang-chu.htm"),
                                     ("Tạp chí Lao động và Công đoàn", "https://laodongcongdoan.test/index.html?lang=vi"),
                                     ("Công đoàn cơ sở Công ty Vĩnh Phát", "https://congdoanvinhphat.test/page/1/")]):
        inner = (f'<div class="top-story"><h2><a href="/{lead["slug"]}.html">{e(lead["title"])}</a></h2>'
                 f'<p>{e(lead["sapo"])}</p></div><div class="grid">{_teasers(12, k + 1)}</div>')
        neg.append(("home", url, _shell(site, inner, site)))
    neg.append(("home", "https://huyenthachha.test/web/thach-ha/trang-chu",
                _shell("Cổng thông tin điện tử huyện Thạch Hà",
                       '<div class="portlet"><h2>Tin tức - Sự kiện</h2>' + _teasers(6, 2) + '</div>'
                       '<div class="portlet"><h2>Văn bản mới</h2><table>' + "".join(
                           f"<tr><td>{n}</td><td>{d}</td><td>{e(s)}</td></tr>" for n, d, s in F.DOC_TABLE)
                       + "</table></div>", "Cổng thông tin điện tử huyện Thạch Hà")))
    # category listings
    for k, url in enumerate(["https://laodong.test/cong-doan/", "https://nld.test/cong-doan/trang-2.htm",
                             "https://dangcongsan.test/cong-doan/View.aspx?Page=3",
                             "https://laodongcongdoan.test/hoat-dong-cong-doan/"]):
        inner = f'<h1 class="cat-title">Công đoàn</h1><div class="list">{_teasers(10, k + 3)}</div>' \
                '<div class="paging"><a>1</a> <a>2</a> <a>3</a> <a>Sau</a></div>'
        neg.append(("listing", url, _shell("Công đoàn", inner)))
    # a listing whose title is long and that has only a few long teasers (harder)
    inner = ('<h1>Tin hoạt động công đoàn các tỉnh, thành phố trong tháng</h1><div class="list">'
             + _teasers(5, 7) + '</div>')
    neg.append(("listing", "https://congdoantinh.test/tin-hoat-dong", _shell("Tin hoạt động", inner)))
    # document listing page of a portal: numbers and dates everywhere
    rows = "".join(f"<tr><td>{n}</td><td>{d}</td><td><a href='/vb/{k}.pdf'>{e(s)}</a></td><td>UBND huyện</td></tr>"
                   for k, (n, d, s) in enumerate(F.DOC_TABLE * 3))
    neg.append(("listing", "https://huyenthachha.test/web/thach-ha/van-ban",
                _shell("Văn bản chỉ đạo điều hành", f"<h1>Văn bản chỉ đạo điều hành</h1><table>{rows}</table>",
                       "Cổng thông tin điện tử huyện Thạch Hà")))
    # search pages
    neg.append(("search", "https://nld.test/tim-kiem.htm?keywords=c%C3%B4ng%20%C4%91o%C3%A0n",
                _shell("Tìm kiếm", '<h1>Kết quả tìm kiếm cho "công đoàn"</h1><p>Tìm thấy 1.245 kết quả</p>'
                       + _teasers(10, 5))))
    neg.append(("search", "https://congdoanvinhphat.test/?s=th%E1%BB%8Fa+%C6%B0%E1%BB%9Bc",
                _shell("Bạn đã tìm kiếm thỏa ước", '<h1 class="page-title">Kết quả tìm kiếm: thỏa ước</h1>'
                       + _teasers(4, 9))))
    # soft 404 (status 200)
    neg.append(("soft-404", "https://laodongcongdoan.test/bai-viet/khong-con-ton-tai-12345.html",
                _shell("Không tìm thấy trang", '<div class="err"><h1>Không tìm thấy trang</h1><p>Trang bạn yêu '
                       'cầu không tồn tại hoặc đã bị xóa. Vui lòng quay lại trang chủ hoặc sử dụng chức năng '
                       'tìm kiếm.</p></div><div class="hot"><h3>Tin nổi bật</h3>' + _teasers(6, 4) + '</div>')))
    neg.append(("soft-404", "https://dangcongsan.test/cong-doan/bai-da-go-654321.html",
                _shell("Thông báo", "<h1>Thông báo</h1><p>Đường dẫn không tồn tại hoặc bài viết đã được "
                       "gỡ bỏ. Xin lỗi bạn vì sự bất tiện này.</p>")))
    # maintenance and a JS cookie challenge
    neg.append(("maintenance", "https://huyenthachha.test/web/thach-ha/tin-tuc/-/content/abc",
                '<html><head><meta charset="utf-8"><title>Bảo trì hệ thống</title></head><body>'
                '<h1>Hệ thống đang bảo trì</h1><p>Cổng thông tin điện tử đang được nâng cấp, bảo trì định '
                'kỳ. Quý độc giả vui lòng quay lại sau. Xin cảm ơn!</p></body></html>'))
    neg.append(("challenge", "https://laodong.test/cong-doan/bai-viet-1234567.ldo",
                '<html><head><title></title><script>document.cookie="D1N=8c1d2e3f4a5b6c7d; path=/";'
                'window.location.reload();</script></head><body><noscript>Vui lòng bật JavaScript để '
                'tiếp tục.</noscript></body></html>'))
    # a tag page and a photo gallery page with only captions
    neg.append(("listing", "https://congdoanvinhphat.test/tag/an-toan-lao-dong/",
                _shell("an toàn lao động", '<h1 class="page-title">Thẻ: an toàn lao động</h1>' + _teasers(3, 2))))
    neg.append(("listing", "https://baocongnhan.test/video/",
                _shell("Video", '<h1>Video</h1>' + "".join(
                    f'<div class="v"><a href="/video/{k}"><img src="/v{k}.jpg"></a><h3><a href="/video/{k}">'
                    f'{e(r["title"])}</a></h3><span>03:2{k}</span></div>'
                    for k, r in enumerate(ARTICLES[:8])))))
    return [{"id": f"neg/{kind}/{k}", "template": "neg", "url": url, "html": page, "is_article": False,
             "kind": kind, "fetched_at": "2025-11-20T12:00:00+07:00"}
            for k, (kind, url, page) in enumerate(neg)]
