"""What Vietnamese page furniture looks like: class/id tokens, section labels, line patterns.

Generic extractors decide by English class names or by sentence-likeness, and Vietnamese comment
boxes are long full sentences, so both fail here (../shared/notes/cleaner.md §3–4). These
vocabularies are used *together* with structure (link density, position relative to the
article's paragraphs), never alone: class names may be Vietnamese, English or meaningless.
"""
from __future__ import annotations

import re

from corpus.textnorm import fold

#: Class/id tokens (matched on the folded, lower-cased attribute) of furniture blocks.
CLASS_RE = re.compile(
    r"(?:^|[\s_-])(?:binh-?luan|y-?kien|comments?|tin-?(?:lien-?quan|cung-?chuyen-?muc|khac|moi|"
    r"xem-?nhieu|doc-?nhieu|noi-?bat)|bai-?lien-?quan|lien-?quan|lienquan|related|relate|"
    r"thong-?ke|truy-?cap|counter|visitor|chia-?se|share|social|in-?bai|print|gui-?bai|"
    r"tu-?khoa|tags?|keywords?|thoi-?tiet|weather|footer|menu|navbar|breadcrumbs?|"
    r"quang-?cao|banner|advert|ads?|sidebar|widget|van-?ban-?moi|vanbanmoi|login|dang-?nhap|"
    r"pagination|paging|phan-?trang|dich-?vu-?cong|tthc)(?:$|[\s_-])")

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
COMMENT_HEAD_RE = re.compile(
    r"^[^\W\d_][\w .'-]{1,40}\s+-\s+(\d{1,2}:\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|\d+\s+(phút|giờ|ngày)"
    r"\s+trước)")

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
    return any(r.search(text) for r in LINE_RES) or bool(COMMENT_HEAD_RE.match(text))
