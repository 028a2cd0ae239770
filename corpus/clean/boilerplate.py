"""What Vietnamese page furniture looks like: class/id tokens, section labels, line patterns.

Generic extractors decide by English class names or by sentence-likeness, and Vietnamese comment
boxes are long full sentences, so both fail here (trafilatura keeps comments with
``include_comments=False``: adbar/trafilatura issues #850 and #852; jusText's English stoplist
empties Vietnamese pages; ``bench/cleaner/realweb.py`` measures both on real pages). These
vocabularies are used *together* with structure (link density, position relative to the
article's paragraphs), never alone: class names may be Vietnamese, English or meaningless.
"""
from __future__ import annotations

import re

from corpus.clean.dates import is_dateline
from corpus.textnorm import fold

#: Class/id tokens (matched on the folded, lower-cased attribute) of furniture blocks.
CLASS_RE = re.compile(
    r"(?:^|[\s_-])(?:binh-?luan\w*|y-?kien|comments?\w*|tin-?(?:lien-?quan|cung-?chuyen-?muc|khac|moi|"
    r"xem-?nhieu|doc-?nhieu|noi-?bat)|bai-?lien-?quan|lien-?quan|lienquan|cungchuyenmuc|"
    r"related\w*|relate|"
    r"thong-?ke|truy-?cap|counter|visitor|chia-?se|share\w*|social\w*|in-?bai|print|gui-?bai|"
    r"tu-?khoa|tags?|tags?-?links|keywords?|thoi-?tiet|weather|footer|menu|navbar|breadcrumbs?|"
    r"quang-?cao|banner|advert|ads?|adv|sidebar|widget|van-?ban-?moi|vanbanmoi|login|dang-?nhap|"
    r"pagination|paging|phan-?trang|pagenav|pager|dich-?vu-?cong|tthc|post-?navigation|"
    r"sharedaddy|sd-?sharing\w*|cmt\w*)(?:$|[\s_-])")

#: Labels that open a furniture section (matched at the start of a short, folded text).
_LABELS = [
    "tin cùng chuyên mục", "tin liên quan", "bài liên quan", "các tin khác", "tin khác",
    "tin mới hơn", "tin cũ hơn", "tin mới", "tin đã đưa", "xem thêm", "đọc thêm", "bình luận",
    "ý kiến bạn đọc", "gửi bình luận", "gửi ý kiến", "ý kiến của bạn", "thông tin truy cập",
    "đang truy cập", "tổng truy cập", "lượt truy cập", "thống kê truy cập", "chia sẻ",
    "in bài", "gửi bài viết", "xem phiên bản di động", "thời tiết", "văn bản mới",
    "hệ thống văn bản", "dịch vụ công trực tuyến", "đăng nhập", "từ khóa", "tags",
    "kết quả giải quyết tthc", "tin nổi bật", "đọc nhiều", "xem nhiều", "chuyên mục",
    "liên kết website", "ảnh hoạt động", "thăm dò ý kiến", "có thể bạn quan tâm",
    "có liên quan", "bài viết liên quan", "bài viết khác", "bài viết mới", "tin bài khác",
    "các tin, bài viết khác", "các tin bài khác", "các bài viết khác", "tin tức khác",
    "các tin đã đưa", "để lại bình luận", "để lại một bình luận", "viết bình luận",
    "ý kiến bạn đọc", "gửi ý kiến của bạn", "ý kiến của bạn", "bình luận của bạn",
    "bài trước", "bài sau", "lưu trữ", "tin đọc nhiều", "tin xem nhiều", "tin mới nhất",
    "tin nổi bật", "video nổi bật", "tiêu điểm", "xem tiếp", "tin tiếp theo", "file đính kèm",
    "tài liệu đính kèm", "tệp đính kèm", "tin ảnh", "liên kết", "thống kê truy cập", "ý kiến",
    "tin khác", "các tin khác", "tin cùng loại", "cùng chuyên mục",
]
LABEL_RE = re.compile(r"^(?:" + "|".join(re.escape(fold(x).lower()) for x in _LABELS)
                      + r")\s*(?:\(\d+\)|\d+)?\s*[:.]?$")

#: Whole lines that are furniture wherever they stand.
LINE_RES = [re.compile(p, re.IGNORECASE) for p in (
    r"^\d+\s*bình luận$",
    r"^trả lời$",
    r"^(thích|báo vi phạm|gửi|hủy|đóng|tắt \[x\]|x)$",
    r"\{\s*(name|time|body|content|date)\s*\}",
    r"ý kiến của bạn sẽ được biên tập",
    r"^(đang truy cập|tổng truy cập|lượt truy cập|hôm nay|hôm qua|tất cả|tuần này|tháng này)"
    r"\s*:?\s*[\d.,]*$",
    r"^\(?\s*cập nhật lúc\s*:?.*\)?$",
    r"^(chia sẻ|in bài|gửi bài viết|lưu bài|bản in|in trang)(\s*[|/-]?\s*(chia sẻ|in bài|"
    r"gửi bài viết|lưu bài|bản in|facebook|zalo|twitter))*$",
    r"^\S+\.(jpe?g|png|gif|webp)$",
    r"^(facebook|zalo|twitter|email|copy link)$",
    r"^xem phiên bản di động$",
    r"^(trang chủ|quay lại|về đầu trang|lên đầu trang)$",
    r"^số hồ sơ (xử lý|tiếp nhận)\s*:?\s*\d*$",
)]

#: Comment items: "Nguyễn Văn A - 10:30 12/05/2024", "Minh - 2 giờ trước".
_NAME = r"[A-ZĐÀ-Ỹ][\wÀ-ỹ.'-]*(?:\s+[A-ZĐÀ-Ỹa-zà-ỹđ][\wÀ-ỹ.'-]*){0,5}"
_WHEN = (r"(?:\d{1,2}:\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|\d+\s+(?:giây|phút|giờ|ngày|tuần|tháng|năm)"
         r"\s+trước|hôm (?:qua|nay))")
COMMENT_HEAD_RE = re.compile(
    rf"^{_NAME}\s*(?:[-·•|–]\s*|\(\s*|\s+(?:viết|bình luận|gửi|đã gửi)\s*:?\s*(?:lúc\s*)?){_WHEN}")

#: A line that is only a publication stamp ("Đăng lúc 17/05/2024 09:00", "Thứ năm, 14/3/2024").
SOFT_404_RE = re.compile(
    r"(không tìm thấy (trang|nội dung|bài viết)|trang (bạn|không) (yêu cầu|tồn tại)|"
    r"đường dẫn không (tồn tại|hợp lệ)|lỗi 404|404 not found|page not found|"
    r"(trang web|website|hệ thống) đang (được )?bảo trì|under maintenance|"
    r"please enable (javascript|cookies)|checking your browser|vui lòng bật javascript)",
    re.IGNORECASE)


def is_furniture_class(attr: str) -> bool:
    return bool(attr) and bool(CLASS_RE.search(fold(attr).lower()))


def is_label(text: str) -> bool:
    text = text.strip(" :-–—»›>\u00a0")
    return 0 < len(text) <= 60 and bool(LABEL_RE.match(fold(text).lower()))


def is_furniture_line(text: str) -> bool:
    text = text.strip()
    return any(r.search(text) for r in LINE_RES) or bool(COMMENT_HEAD_RE.match(text)) or \
        is_dateline(text)
