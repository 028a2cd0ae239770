"""Boilerplate text banks for the benchmark's site templates, written for this project.

In the style of the seed pages: comment items, related lists, counters, share bars, TTHC boxes,
menus and portal footers. Comments are long full sentences on purpose: that is what makes them
hard for sentence-likeness extractors.
"""
from __future__ import annotations

COMMENTS = [
    ("Nguyễn Văn Hùng", "Công đoàn cần quan tâm hơn nữa đến chuyện nhà trọ của công nhân, nhiều "
     "phòng chật chội, nóng bức mà giá thuê năm nào cũng tăng, trong khi lương thì tăng rất chậm."),
    ("Trần Thị Thu", "Tôi làm công nhân đã mười năm, mong tổ chức công đoàn tiếp tục đối thoại với "
     "doanh nghiệp để tăng tiền ăn ca và có thêm chỗ gửi trẻ cho con em người lao động."),
    ("Lê Minh Đức", "Bài viết rất hay và thiết thực. Đề nghị báo tiếp tục phản ánh tình hình thực "
     "hiện thỏa ước ở các doanh nghiệp nhỏ, nơi người lao động ít được bảo vệ quyền lợi."),
    ("Phạm Hồng Nhung", "Chúng tôi ở khu công nghiệp rất mong có thêm những phiên chợ giá rẻ như "
     "thế này, vì cuối tháng nhiều gia đình công nhân thật sự khó khăn về chi tiêu."),
    ("Hoàng Quốc Việt", "Cảm ơn công đoàn đã luôn đồng hành cùng người lao động. Tuy nhiên thủ tục "
     "nhận hỗ trợ nên đơn giản hơn để công nhân không phải đi lại nhiều lần."),
]

MENU = ["Trang chủ", "Thời sự", "Công đoàn", "Việc làm", "Pháp luật", "Đời sống", "Văn hóa",
        "Thể thao", "Bạn đọc", "Video", "Ảnh", "Podcast"]

PORTAL_MENU = ["Trang chủ", "Giới thiệu", "Tin tức - Sự kiện", "Văn bản", "Thủ tục hành chính",
               "Dịch vụ công", "Hỏi đáp", "Liên hệ", "Sơ đồ cổng"]

TAGS = ["công đoàn", "người lao động", "đoàn viên", "thỏa ước lao động tập thể", "Tháng Công nhân",
        "an toàn lao động", "nhà ở xã hội"]

DOC_TABLE = [  # (number, date, subject) for "Văn bản mới" portlets: furniture full of numbers
    ("125/KH-UBND", "12/03/2024", "Kế hoạch triển khai công tác cải cách hành chính năm 2024"),
    ("98/QĐ-UBND", "05/03/2024", "Quyết định công bố danh mục thủ tục hành chính mới"),
    ("17-CT/HU", "28/02/2024", "Chỉ thị về tăng cường công tác phòng cháy, chữa cháy"),
    ("204/TB-UBND", "20/02/2024", "Thông báo lịch tiếp công dân định kỳ quý I"),
    ("31/BC-UBND", "15/02/2024", "Báo cáo kết quả thực hiện nhiệm vụ kinh tế - xã hội tháng 1"),
]

SHARE = ["Facebook", "Zalo", "Twitter", "Email", "Copy link"]

AD_TEXTS = ["Quảng cáo", "Đặt báo in - Giao tận nhà", "Tải ứng dụng đọc báo trên điện thoại"]

PROVINCIAL_TEASERS = [  # other provinces' teasers for "Tin cùng chuyên mục" lists (traps)
    ("Long An: trao 500 phần quà cho công nhân khó khăn huyện Đức Huệ",
     "LĐLĐ tỉnh Long An trao quà cho người lao động bị ảnh hưởng do doanh nghiệp thiếu đơn hàng."),
    ("Nghệ An: ra mắt mô hình Công đoàn đồng hành cùng lao động nữ",
     "Mô hình được triển khai thí điểm tại 10 doanh nghiệp da giày ở Khu công nghiệp Nam Cấm."),
    ("Quảng Nam tổ chức Ngày hội việc làm cho đoàn viên",
     "Hơn 2.000 vị trí việc làm được giới thiệu tại ngày hội ở thành phố Tam Kỳ."),
    ("Bắc Ninh: công nhân được khám sức khỏe miễn phí",
     "Công đoàn các khu công nghiệp Bắc Ninh phối hợp bệnh viện khám cho 1.500 công nhân."),
    ("Cần Thơ: đối thoại về tiền lương tại 8 doanh nghiệp thủy sản",
     "Nhiều kiến nghị của người lao động được doanh nghiệp tiếp thu ngay tại buổi đối thoại."),
    ("Thái Nguyên tuyên dương 100 công nhân lao động giỏi",
     "Các công nhân được tuyên dương có nhiều sáng kiến làm lợi hàng tỷ đồng cho doanh nghiệp."),
]

COPYRIGHT = "© Bản quyền thuộc về {site}. Ghi rõ nguồn khi phát hành lại thông tin từ website này."
