"""Article texts for the cleaner benchmark, written for this project (not taken from any site).

Each entry is the gold of one article: what a perfect cleaner returns. The site templates in
``sites.py`` wrap these in boilerplate. Body lines starting with ``## `` are sub-headings (gold
text without the marker). ``captions`` maps a body index to the caption of the image shown after
that paragraph. ``province`` is (old 63, new 34), "Toàn quốc" for national items. ``docs`` are
the document numbers the text contains, canonical. ``lead_date``: the article gives its date
only as a year-less "Sáng 14.3" in the lead (the page date comes from the crawl date).
"""
from __future__ import annotations

from corpus.record import NATIONAL

ARTICLES: list[dict] = [
    dict(
        slug="thanh-hoa-ky-ket-tuldtt-nganh-da-giay",
        category="Công đoàn",
        title="Thanh Hóa: 42 doanh nghiệp da giày ký thỏa ước lao động tập thể nhóm",
        sapo="Liên đoàn Lao động tỉnh Thanh Hóa vừa tổ chức lễ ký kết thỏa ước lao động tập thể "
             "nhóm doanh nghiệp ngành da giày, mang lại thêm quyền lợi cho hơn 38.000 công nhân "
             "tại các huyện Hoằng Hóa, Hậu Lộc và thị xã Bỉm Sơn.",
        body=[
            "Theo Ban Chấp hành LĐLĐ tỉnh, bản thỏa ước được xây dựng trên cơ sở lấy ý kiến của "
            "gần 6.000 đoàn viên tại 42 doanh nghiệp, sau ba phiên thương lượng kéo dài từ tháng "
            "9 năm trước. Đây là thỏa ước nhóm thứ hai của tỉnh, sau thỏa ước ngành dệt may ký "
            "năm 2022.",
            "Nội dung thỏa ước quy định mức lương tối thiểu cao hơn mức lương vùng 6%, tiền ăn giữa "
            "ca không thấp hơn 20.000 đồng mỗi suất, hỗ trợ nhà trọ 300.000 đồng mỗi tháng cho công "
            "nhân ở xa và thêm một ngày nghỉ phép hằng năm cho lao động nữ nuôi con nhỏ.",
            "## Thương lượng thực chất, không hình thức",
            "Phát biểu tại buổi lễ, đồng chí Lê Thị Hằng, Phó Chủ tịch LĐLĐ tỉnh cho biết việc ký "
            "kết thực hiện Kế hoạch số 86/KH-LĐLĐ về nâng cao chất lượng thương lượng tập thể giai "
            "đoạn 2023 - 2028. Công đoàn các cấp đã đối thoại với từng chủ doanh nghiệp, công khai "
            "dự thảo tại nơi làm việc để người lao động góp ý trước khi biểu quyết.",
            "Đại diện các doanh nghiệp cam kết thực hiện nghiêm các điều khoản đã ký, đồng thời "
            "phối hợp với công đoàn cơ sở tổ chức đối thoại định kỳ mỗi quý một lần để kịp thời "
            "giải quyết những kiến nghị của công nhân.",
        ],
        captions={1: "Đại diện LĐLĐ tỉnh và các doanh nghiệp ký kết thỏa ước. Ảnh: Minh Hiếu"},
        author="Minh Hiếu",
        date="2024-03-14T08:15:00+07:00",
        province=("Thanh Hóa", "Thanh Hóa"),
        docs=["86/KH-LĐLĐ"],
    ),
    dict(
        slug="kinh-mon-phat-trien-doan-vien",
        category="Hoạt động công đoàn",
        title="LĐLĐ thị xã Kinh Môn kết nạp 1.250 đoàn viên mới trong quý I",
        sapo="Ba tháng đầu năm, Liên đoàn Lao động thị xã Kinh Môn (Hải Dương) đã kết nạp 1.250 "
             "đoàn viên, thành lập mới 7 công đoàn cơ sở tại các doanh nghiệp ngoài nhà nước.",
        body=[
            "Kết quả trên vượt 25% so với cùng kỳ năm trước, trong đó phần lớn đoàn viên mới là "
            "công nhân các doanh nghiệp sản xuất vật liệu xây dựng và cơ khí ở phường Hiệp Sơn, "
            "phường Phú Thứ và xã Lạc Long.",
            "Để đạt được kết quả này, LĐLĐ thị xã đã thành lập tổ công tác phát triển đoàn viên, "
            "trực tiếp đến từng doanh nghiệp tuyên truyền về quyền lợi khi tham gia tổ chức công "
            "đoàn, như được hỗ trợ pháp lý miễn phí, được hưởng Chương trình Phúc lợi cho đoàn viên "
            "và được thăm hỏi khi ốm đau.",
            "Bà Nguyễn Thị Lan, công nhân Công ty TNHH Cơ khí Minh Phát cho biết, sau khi công đoàn "
            "cơ sở được thành lập, lần đầu tiên công nhân được doanh nghiệp tổ chức khám sức khỏe "
            "định kỳ và được nhận quà vào dịp sinh nhật.",
            "Trong quý II, LĐLĐ thị xã đặt mục tiêu kết nạp thêm 800 đoàn viên, tập trung vào các "
            "doanh nghiệp có từ 25 lao động trở lên nhưng chưa có tổ chức công đoàn.",
        ],
        captions={0: "Cán bộ công đoàn trao quyết định kết nạp cho đoàn viên mới."},
        author="Phạm Tuấn",
        date="2022-04-05T15:40:00+07:00",
        province=("Hải Dương", "Hải Phòng"),
        docs=[],
    ),
    dict(
        slug="da-lat-trien-khai-ke-hoach-41",
        category="Chính trị",
        title="Thành ủy Đà Lạt triển khai kế hoạch đổi mới tổ chức và hoạt động công đoàn",
        sapo="Ban Thường vụ Thành ủy Đà Lạt tổ chức hội nghị quán triệt Kế hoạch số 41-KH/ThU "
             "thực hiện Nghị quyết số 02-NQ/TW của Bộ Chính trị đến cán bộ chủ chốt các phường, "
             "xã và công đoàn cơ sở.",
        body=[
            "Kế hoạch đặt mục tiêu đến năm 2025 toàn thành phố có 14.000 đoàn viên công đoàn và "
            "trên 95% doanh nghiệp có tổ chức công đoàn ký kết thỏa ước lao động tập thể. Các cấp "
            "ủy được yêu cầu đưa nội dung phát triển đoàn viên vào nghị quyết hằng năm.",
            "Hội nghị cũng thông tin những điểm mới của Kế hoạch số 21-KH/TU ngày 06/9/2021 của "
            "Ban Thường vụ Tỉnh ủy, trong đó nhấn mạnh trách nhiệm của người đứng đầu chính quyền "
            "trong việc đối thoại định kỳ với đoàn viên, người lao động.",
            "Liên đoàn Lao động thành phố Đà Lạt được giao chủ trì, phối hợp với Ban Dân vận Thành "
            "ủy theo dõi, đôn đốc việc thực hiện, định kỳ 6 tháng báo cáo kết quả về Ban Thường vụ "
            "Thành ủy.",
        ],
        captions={},
        author="Hoàng Yến",
        date="2021-10-22T10:05:00+07:00",
        province=("Lâm Đồng", "Lâm Đồng"),
        docs=["41-KH/ThU", "02-NQ/TW", "21-KH/TU"],
    ),
    dict(
        slug="binh-duong-tet-sum-vay",
        category="Đời sống",
        title="Bình Dương: hơn 12.000 suất quà Tết Sum vầy đến tay công nhân khó khăn",
        sapo="Chương trình Tết Sum vầy năm nay của Liên đoàn Lao động tỉnh Bình Dương dành hơn 12.000 "
             "suất quà, 40 chuyến xe miễn phí và một phiên chợ 0 đồng cho công nhân ở lại làm việc.",
        body=[
            "Tại khu nhà trọ ở phường Tân Đông Hiệp, thành phố Dĩ An, hàng trăm công nhân đến từ "
            "nhiều tỉnh miền Tây đã nhận quà gồm gạo, dầu ăn, bánh kẹo và phiếu mua hàng trị giá "
            "500.000 đồng.",
            "Chị Trần Thị Mỹ, công nhân một công ty may trong Khu công nghiệp Sóng Thần cho biết năm "
            "nay hai vợ chồng chị không về quê vì phải dành dụm tiền sửa nhà, nên món quà của công "
            "đoàn giúp gia đình có cái Tết ấm áp hơn.",
            "Theo LĐLĐ tỉnh, kinh phí chương trình hơn 18 tỷ đồng, trong đó gần một nửa được vận "
            "động từ doanh nghiệp và các nhà hảo tâm. Công đoàn cũng phối hợp với ngành giao thông "
            "tổ chức các chuyến xe đưa công nhân về quê đón Tết.",
            "Dịp này, LĐLĐ tỉnh trao 20 căn nhà Mái ấm Công đoàn cho đoàn viên có hoàn cảnh đặc biệt "
            "khó khăn, mỗi căn được hỗ trợ 50 triệu đồng.",
        ],
        captions={0: "Công nhân nhận quà tại phiên chợ 0 đồng (Ảnh: Ngọc Thanh)",
                  2: "Những chuyến xe miễn phí đưa công nhân về quê đón Tết."},
        author="Ngọc Thanh",
        date="2024-01-28T19:30:00+07:00",
        province=("Bình Dương", "Hồ Chí Minh"),
        docs=[],
    ),
    dict(
        slug="tong-ldld-huong-dan-dai-hoi",
        category="Công đoàn Việt Nam",
        title="Tổng LĐLĐ Việt Nam hướng dẫn đại hội công đoàn các cấp nhiệm kỳ 2023 - 2028",
        sapo="Đoàn Chủ tịch Tổng Liên đoàn Lao động Việt Nam vừa ban hành Hướng dẫn số 03/HD-TLĐ về "
             "đại hội công đoàn các cấp, trong đó khuyến khích bầu trực tiếp chủ tịch công đoàn "
             "cơ sở tại đại hội.",
        body=[
            "Theo hướng dẫn, đại hội công đoàn cơ sở phải hoàn thành trước ngày 31/3, đại hội công "
            "đoàn cấp trên trực tiếp cơ sở hoàn thành trước tháng 6 và đại hội công đoàn tỉnh, "
            "thành phố, công đoàn ngành trung ương hoàn thành trong quý III.",
            "Văn kiện đại hội cần ngắn gọn, tập trung đánh giá kết quả thực hiện Nghị quyết số "
            "02-NQ/TW của Bộ Chính trị và Chương trình hành động số 02/CTr-BCH của Ban Chấp hành "
            "Tổng Liên đoàn, đề ra các chỉ tiêu sát thực tiễn.",
            "Về nhân sự, cơ cấu ban chấp hành phải bảo đảm tỷ lệ hợp lý giữa cán bộ chuyên trách "
            "và cán bộ không chuyên trách, chú trọng đoàn viên trực tiếp sản xuất, nữ và người trẻ "
            "tuổi.",
            "Hướng dẫn cũng yêu cầu đại hội được tổ chức tiết kiệm, không phô trương hình thức, "
            "gắn với học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
        ],
        captions={},
        author="Hà Anh",
        date="2023-01-09T14:20:00+07:00",
        province=(NATIONAL, NATIONAL),
        docs=["03/HD-TLĐ", "02-NQ/TW", "02/CTr-BCH"],
    ),
    dict(
        slug="ha-tinh-mai-am-cong-doan",
        category="Chăm lo đoàn viên",
        title="Hà Tĩnh bàn giao 35 nhà Mái ấm Công đoàn trước mùa mưa bão",
        sapo="Trong tháng 8, các cấp công đoàn Hà Tĩnh đã bàn giao 35 căn nhà Mái ấm Công đoàn cho "
             "đoàn viên có hoàn cảnh khó khăn về nhà ở, với tổng kinh phí hỗ trợ gần 1,8 tỷ đồng.",
        body=[
            "Những căn nhà được xây mới hoặc sửa chữa tập trung ở các huyện Hương Khê, Vũ Quang và "
            "Kỳ Anh, nơi thường chịu ảnh hưởng nặng của lũ lụt. Mỗi căn nhà xây mới được hỗ trợ 60 "
            "triệu đồng, nhà sửa chữa được hỗ trợ 30 triệu đồng.",
            "Anh Võ Văn Thắng, giáo viên một trường tiểu học ở huyện Vũ Quang xúc động cho biết căn "
            "nhà cũ của gia đình anh dột nát nhiều năm, nay có nhà mới kiên cố trước mùa mưa bão.",
            "Chủ tịch LĐLĐ tỉnh Hà Tĩnh cho biết từ năm 2018 đến nay, công đoàn toàn tỉnh đã hỗ trợ "
            "hơn 500 căn nhà Mái ấm Công đoàn, góp phần giúp đoàn viên yên tâm công tác và gắn bó "
            "với tổ chức.",
        ],
        captions={0: "Lãnh đạo LĐLĐ tỉnh trao biển hỗ trợ nhà cho đoàn viên."},
        author="Thu Hà",
        date="2023-08-30T16:45:00+07:00",
        province=("Hà Tĩnh", "Hà Tĩnh"),
        docs=[],
    ),
    dict(
        slug="nghe-an-tuyen-truyen-phap-luat-kcn",
        category="Pháp luật",
        title="Công đoàn Nghệ An đưa pháp luật lao động đến công nhân khu công nghiệp",
        sapo="Liên đoàn Lao động tỉnh Nghệ An phối hợp Ban Quản lý Khu kinh tế Đông Nam tổ chức "
             "chuỗi buổi tuyên truyền pháp luật về Bộ luật Lao động và Luật Bảo hiểm xã hội cho hơn "
             "3.000 công nhân.",
        body=[
            "Các buổi tuyên truyền diễn ra vào giờ nghỉ giữa ca tại Khu công nghiệp VSIP Nghệ An "
            "và Khu công nghiệp Nam Cấm, huyện Nghi Lộc. Báo cáo viên giới thiệu những quy định mới "
            "về hợp đồng lao động, thời giờ làm thêm và chế độ thai sản.",
            "Nhiều công nhân đặt câu hỏi về việc rút bảo hiểm xã hội một lần, tiền lương làm căn "
            "cứ đóng bảo hiểm và quyền được tham gia công đoàn. Các câu hỏi được luật sư của Văn "
            "phòng tư vấn pháp luật công đoàn trả lời trực tiếp.",
            "Theo Kế hoạch số 12/KH-LĐLĐ, năm nay LĐLĐ tỉnh sẽ tổ chức 60 buổi tuyên truyền tại "
            "doanh nghiệp, đồng thời duy trì đường dây nóng tư vấn pháp luật miễn phí cho đoàn viên.",
            "Bộ luật Lao động số 45/2019/QH14 có hiệu lực từ năm 2021 với nhiều điểm mới liên quan "
            "trực tiếp đến quyền lợi người lao động.",
        ],
        captions={1: "Luật sư giải đáp thắc mắc của công nhân. Ảnh: Hải Đăng"},
        author="Hải Đăng",
        date="2024-05-17T09:00:00+07:00",
        province=("Nghệ An", "Nghệ An"),
        docs=["12/KH-LĐLĐ", "45/2019/QH14"],
    ),
    dict(
        slug="long-an-doi-thoai-tien-luong",
        category="Quan hệ lao động",
        title="Long An: đối thoại tiền lương ở 15 doanh nghiệp có đông lao động",
        sapo="Liên đoàn Lao động tỉnh Long An tổ chức đối thoại tiền lương, thưởng Tết tại 15 doanh "
             "nghiệp có đông lao động ở các huyện Đức Hòa, Bến Lức và Cần Giuộc.",
        body=[
            "Qua đối thoại, 12 doanh nghiệp đồng ý điều chỉnh tăng lương bình quân từ 5 đến 8% kể "
            "từ ngày 1/7, ba doanh nghiệp còn lại hẹn trả lời sau khi cân đối đơn hàng quý III.",
            "Công nhân kiến nghị doanh nghiệp cải thiện bữa ăn ca, bố trí thêm nhà để xe và khu vực "
            "nghỉ trưa. Nhiều kiến nghị được giải quyết ngay tại buổi đối thoại.",
            "LĐLĐ tỉnh Long An cho biết sẽ tiếp tục giám sát việc thực hiện các cam kết, đồng thời "
            "hướng dẫn công đoàn cơ sở chuẩn bị nội dung thương lượng thỏa ước lao động tập thể cho "
            "năm tới.",
        ],
        captions={},
        author="Kim Chi",
        date="2023-06-21T11:10:00+07:00",
        province=("Long An", "Tây Ninh"),
        docs=[],
    ),
    dict(
        slug="quang-ninh-tho-mo-an-toan",
        category="An toàn lao động",
        title="Công đoàn Than Quảng Ninh phát động tháng hành động an toàn, vệ sinh lao động",
        sapo="Công đoàn Than - Khoáng sản Việt Nam và LĐLĐ tỉnh Quảng Ninh phát động Tháng hành "
             "động về an toàn, vệ sinh lao động tại các mỏ hầm lò ở thành phố Cẩm Phả và Hạ Long.",
        body=[
            "Trong tháng hành động, các đơn vị tổ chức tự kiểm tra hệ thống thông gió, quan trắc "
            "khí mỏ và thiết bị cứu sinh; huấn luyện lại quy trình thoát hiểm cho gần 20.000 thợ "
            "lò.",
            "Mạng lưới an toàn, vệ sinh viên với hơn 4.000 người được giao nhiệm vụ phát hiện, "
            "nhắc nhở các hành vi vi phạm quy trình, kịp thời báo cáo các nguy cơ sự cố ngay tại "
            "phân xưởng.",
            "## Khen thưởng sáng kiến cải thiện điều kiện làm việc",
            "Nhân dịp này, công đoàn khen thưởng 36 sáng kiến giúp giảm bụi, giảm tiếng ồn và nâng "
            "cao năng suất, tiết kiệm cho doanh nghiệp hơn 20 tỷ đồng mỗi năm.",
        ],
        captions={0: "Thợ lò kiểm tra thiết bị trước giờ vào ca."},
        author="Đức Thịnh",
        date="2023-05-02T07:30:00+07:00",
        province=("Quảng Ninh", "Quảng Ninh"),
        docs=[],
    ),
    dict(
        slug="ca-mau-ho-tro-lao-dong-mat-viec",
        category="Việc làm",
        title="Cà Mau hỗ trợ đoàn viên mất việc do doanh nghiệp thủy sản cắt giảm đơn hàng",
        sapo="Liên đoàn Lao động tỉnh Cà Mau trích 1,2 tỷ đồng hỗ trợ 1.200 đoàn viên bị mất việc "
             "hoặc giảm giờ làm tại các doanh nghiệp chế biến thủy sản.",
        body=[
            "Mỗi đoàn viên bị chấm dứt hợp đồng lao động được hỗ trợ 1 triệu đồng, đoàn viên bị "
            "giảm giờ làm từ 30% trở lên được hỗ trợ 700.000 đồng.",
            "Bên cạnh hỗ trợ tiền mặt, công đoàn phối hợp Trung tâm Dịch vụ việc làm tỉnh giới thiệu "
            "việc làm mới, hướng dẫn thủ tục hưởng bảo hiểm thất nghiệp cho người lao động.",
            "Theo LĐLĐ tỉnh, đơn hàng xuất khẩu tôm giảm mạnh khiến nhiều doanh nghiệp ở thành phố "
            "Cà Mau và huyện Năm Căn phải thu hẹp sản xuất trong sáu tháng đầu năm.",
        ],
        captions={},
        author="Bảo Trân",
        date="2023-07-12T13:00:00+07:00",
        province=("Cà Mau", "Cà Mau"),
        docs=[],
    ),
    dict(
        slug="bac-giang-nha-o-cong-nhan",
        category="Chính sách",
        title="Bắc Giang đề xuất xây 5.000 căn nhà ở xã hội cho công nhân",
        sapo="LĐLĐ tỉnh Bắc Giang kiến nghị UBND tỉnh dành quỹ đất tại các khu công nghiệp Quang "
             "Châu, Vân Trung và Đình Trám để xây dựng 5.000 căn nhà ở xã hội cho công nhân.",
        body=[
            "Hiện tỉnh có hơn 200.000 công nhân làm việc trong các khu công nghiệp, trong đó khoảng "
            "60% phải thuê nhà trọ với diện tích bình quân dưới 10 mét vuông mỗi người.",
            "Theo Quyết định số 338/QĐ-TTg của Thủ tướng Chính phủ về Đề án đầu tư xây dựng ít nhất "
            "một triệu căn hộ nhà ở xã hội, Bắc Giang được giao chỉ tiêu hơn 10.000 căn đến năm 2030.",
            "Công đoàn đề nghị ưu tiên công nhân có thu nhập thấp, đã làm việc ổn định từ ba năm "
            "trở lên được mua hoặc thuê mua với giá phù hợp.",
        ],
        captions={1: "Khu nhà trọ công nhân gần Khu công nghiệp Quang Châu."},
        author="Văn Long",
        date="2023-11-03T08:50:00+07:00",
        province=("Bắc Giang", "Bắc Ninh"),
        docs=["338/QĐ-TTg"],
    ),
    dict(
        slug="hue-thi-tay-nghe-cong-nhan",
        category="Thi đua",
        title="Thừa Thiên Huế: 120 công nhân tranh tài hội thi tay nghề giỏi",
        sapo="Hội thi công nhân giỏi tỉnh Thừa Thiên Huế năm nay thu hút 120 thí sinh đến từ các "
             "doanh nghiệp dệt may, cơ khí và điện lực.",
        body=[
            "Thí sinh thi lý thuyết về an toàn lao động và thi thực hành trên dây chuyền sản xuất "
            "tại Khu công nghiệp Phú Bài, thị xã Hương Thủy. Ban giám khảo đánh giá cao kỹ năng của "
            "nhiều công nhân trẻ.",
            "Ban tổ chức trao 3 giải nhất, 6 giải nhì và 9 giải ba. Các thí sinh đạt giải nhất được "
            "LĐLĐ tỉnh đề nghị tặng danh hiệu Lao động giỏi và được xét nâng bậc lương trước thời "
            "hạn.",
            "Hội thi là hoạt động thiết thực chào mừng kỷ niệm 95 năm Ngày thành lập Công đoàn Việt "
            "Nam, góp phần khích lệ phong trào thi đua lao động sáng tạo trong công nhân.",
        ],
        captions={0: "Thí sinh thi thực hành tại dây chuyền may."},
        author="Thanh Huê",
        date="2024-07-20T17:05:00+07:00",
        province=("Thừa Thiên Huế", "Huế"),
        docs=[],
    ),
    dict(
        slug="tphcm-cho-cong-nhan",
        category="Đời sống",
        title="TP.HCM mở thêm 10 điểm bán hàng bình ổn giá cho công nhân",
        sapo="Liên đoàn Lao động TP.HCM phối hợp các hệ thống siêu thị mở thêm 10 điểm bán hàng bình "
             "ổn giá tại các khu chế xuất, khu công nghiệp, giảm giá từ 10 đến 50% cho đoàn viên.",
        body=[
            "Các điểm bán đặt tại Khu chế xuất Tân Thuận, Khu công nghiệp Tân Bình và Khu công nghệ "
            "cao thành phố Thủ Đức, mở cửa đến 21 giờ để công nhân tan ca có thể mua sắm.",
            "Mỗi đoàn viên được cấp thẻ giảm giá, áp dụng cho hơn 500 mặt hàng thiết yếu như gạo, "
            "dầu ăn, sữa và đồ dùng học tập cho con em.",
            "Theo LĐLĐ thành phố, chương trình nằm trong chuỗi hoạt động Tháng Công nhân, dự kiến "
            "mang lại lợi ích cho khoảng 150.000 lượt đoàn viên.",
        ],
        captions={},
        author="Mai Phương",
        date="2024-05-06T10:25:00+07:00",
        province=("Hồ Chí Minh", "Hồ Chí Minh"),
        docs=[],
    ),
    dict(
        slug="kon-tum-cong-doan-giao-duc",
        category="Công đoàn ngành",
        title="Kon Tum: công đoàn ngành giáo dục chăm lo giáo viên vùng khó",
        sapo="Công đoàn ngành Giáo dục tỉnh Kon Tum trao 300 suất quà và 50 bộ máy tính cho giáo "
             "viên đang công tác tại các điểm trường vùng sâu của huyện Tu Mơ Rông và Đăk Glei.",
        body=[
            "Nhiều giáo viên phải đi bộ hàng chục cây số đường đèo để đến điểm trường, sống xa gia "
            "đình trong những căn nhà công vụ xuống cấp.",
            "Cô Y Thương, giáo viên điểm trường làng Đăk Pớt cho biết bộ máy tính được tặng sẽ giúp "
            "cô soạn bài và dạy học sinh làm quen với công nghệ thông tin.",
            "Công đoàn ngành cũng kiến nghị Sở Giáo dục và Đào tạo sửa chữa 12 nhà công vụ trước năm "
            "học mới.",
        ],
        captions={},
        author="Y Nhi",
        date="2023-09-08T09:40:00+07:00",
        province=("Kon Tum", "Quảng Ngãi"),
        docs=[],
    ),
    dict(
        slug="hai-phong-sau-sap-nhap-ldld",
        category="Tổ chức",
        title="LĐLĐ thành phố Hải Phòng kiện toàn bộ máy sau sáp nhập",
        sapo="Sau sáp nhập, Liên đoàn Lao động thành phố Hải Phòng (mới) tiếp nhận toàn bộ công "
             "đoàn cơ sở của LĐLĐ tỉnh Hải Dương (cũ), quản lý gần 600.000 đoàn viên.",
        body=[
            "Theo Quyết định số 1520/QĐ-TLĐ của Đoàn Chủ tịch Tổng Liên đoàn, Ban Chấp hành lâm thời "
            "gồm 45 ủy viên, trong đó có 19 ủy viên đến từ Hải Dương (cũ).",
            "Trụ sở chính đặt tại quận Hồng Bàng; cơ sở tại thành phố Hải Dương (cũ) được giữ lại "
            "làm văn phòng đại diện để phục vụ đoàn viên ở khu vực phía tây thành phố.",
            "Chủ tịch LĐLĐ thành phố yêu cầu bảo đảm hoạt động thông suốt, không để gián đoạn việc "
            "chăm lo, bảo vệ quyền lợi đoàn viên trong quá trình sắp xếp.",
        ],
        captions={},
        author="Quang Minh",
        date="2025-07-15T15:00:00+07:00",
        province=("Hải Dương", "Hải Phòng"),
        docs=["1520/QĐ-TLĐ"],
    ),
    dict(
        slug="toan-quoc-thang-cong-nhan-2024",
        category="Công đoàn Việt Nam",
        title="Phát động Tháng Công nhân năm 2024 với chủ đề nâng cao kỹ năng nghề",
        sapo="Tổng Liên đoàn Lao động Việt Nam phát động Tháng Công nhân năm 2024 với chủ đề Đoàn "
             "viên công đoàn, người lao động nâng cao kỹ năng nghề, năng suất lao động.",
        body=[
            "Trong tháng 5, công đoàn các cấp sẽ tổ chức các hoạt động chăm lo như Bữa cơm công "
            "đoàn, chợ phiên công nhân, khám sức khỏe miễn phí và đối thoại với người sử dụng lao "
            "động.",
            "Tổng Liên đoàn yêu cầu các cấp công đoàn thực hiện Kế hoạch số 179/KH-TLĐ, gắn Tháng "
            "Công nhân với Tháng hành động về an toàn, vệ sinh lao động.",
            "Phát biểu tại lễ phát động, lãnh đạo Tổng Liên đoàn đề nghị doanh nghiệp tạo điều kiện "
            "để người lao động được học nghề, nâng bậc thợ và nhận mức lương xứng đáng với đóng góp.",
        ],
        captions={0: "Quang cảnh lễ phát động Tháng Công nhân năm 2024."},
        author="Hồng Nhung",
        date="2024-04-26T09:15:00+07:00",
        province=(NATIONAL, NATIONAL),
        docs=["179/KH-TLĐ"],
    ),
    # -- leads with a year-less date only ------------------------------------------------------
    dict(
        slug="dong-nai-hoi-nghi-nguoi-lao-dong",
        category="Hoạt động",
        title="Công đoàn Khu công nghiệp Biên Hòa tổng kết phong trào thi đua",
        sapo="Sáng 14.3, Công đoàn các khu công nghiệp tỉnh Đồng Nai tổ chức hội nghị tổng kết "
             "phong trào thi đua lao động giỏi, khen thưởng 80 tập thể và cá nhân tiêu biểu.",
        body=[
            "Năm qua, công đoàn các khu công nghiệp đã thành lập mới 26 công đoàn cơ sở, kết nạp "
            "hơn 9.000 đoàn viên và vận động ký kết 140 bản thỏa ước lao động tập thể.",
            "Nhiều doanh nghiệp tại thành phố Biên Hòa và huyện Nhơn Trạch đã chủ động tăng lương, "
            "hỗ trợ tiền nhà trọ cho công nhân, góp phần giữ chân lao động có tay nghề.",
            "Hội nghị cũng đề ra chỉ tiêu năm nay phát triển thêm 10.000 đoàn viên và tổ chức đối "
            "thoại định kỳ tại 100% doanh nghiệp có công đoàn cơ sở.",
        ],
        captions={},
        author="",
        date="2024-03-14",
        province=("Đồng Nai", "Đồng Nai"),
        docs=[],
        lead_date=True,
    ),
    dict(
        slug="ha-nam-tap-huan-can-bo",
        category="Đào tạo",
        title="Tập huấn nghiệp vụ cho 200 cán bộ công đoàn cơ sở",
        sapo="Chiều 21/11, Liên đoàn Lao động tỉnh Hà Nam khai mạc lớp tập huấn nghiệp vụ công tác "
             "công đoàn cho 200 chủ tịch, phó chủ tịch công đoàn cơ sở mới được bầu.",
        body=[
            "Học viên được trang bị kiến thức về Luật Công đoàn, kỹ năng thương lượng tập thể, tổ "
            "chức hội nghị người lao động và quản lý tài chính công đoàn cơ sở.",
            "Lớp tập huấn kéo dài ba ngày tại thành phố Phủ Lý, kết hợp giữa lý thuyết và thực hành "
            "xử lý tình huống thường gặp tại doanh nghiệp.",
            "LĐLĐ tỉnh cho biết sẽ mở thêm hai lớp tương tự tại thị xã Duy Tiên và huyện Kim Bảng "
            "trong tháng 12.",
        ],
        captions={},
        author="",
        date="2023-11-21",
        province=("Hà Nam", "Ninh Bình"),
        docs=[],
        lead_date=True,
    ),
]

#: A directive published as an HTML page (the portal shows the document's full text).
DIRECTIVE = dict(
    slug="ke-hoach-25-kh-ldld-thang-hanh-dong",
    category="Văn bản chỉ đạo",
    title="Kế hoạch tổ chức Tháng hành động về an toàn, vệ sinh lao động năm 2024",
    sapo="",
    body=[
        "LIÊN ĐOÀN LAO ĐỘNG TỈNH ĐẮK NÔNG",
        "Số: 25/KH-LĐLĐ",
        "Đắk Nông, ngày 15 tháng 4 năm 2024",
        "KẾ HOẠCH",
        "Tổ chức Tháng hành động về an toàn, vệ sinh lao động năm 2024",
        "Thực hiện Hướng dẫn số 12/HD-TLĐ của Tổng Liên đoàn Lao động Việt Nam, Ban Thường vụ "
        "Liên đoàn Lao động tỉnh xây dựng kế hoạch tổ chức Tháng hành động về an toàn, vệ sinh lao "
        "động năm 2024 như sau:",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Nâng cao nhận thức và trách nhiệm của người sử dụng lao động, người lao động trong "
        "việc thực hiện các quy định của pháp luật về an toàn, vệ sinh lao động.",
        "2. Các hoạt động được tổ chức thiết thực, hiệu quả, phù hợp với điều kiện của từng cơ "
        "quan, đơn vị, doanh nghiệp; tránh hình thức, lãng phí.",
        "II. NỘI DUNG HOẠT ĐỘNG",
        "1. Tuyên truyền về chủ đề Tháng hành động trên các phương tiện thông tin đại chúng, tại "
        "nơi làm việc và trên trang thông tin điện tử của Liên đoàn Lao động tỉnh.",
        "2. Phối hợp kiểm tra việc thực hiện chính sách, pháp luật về an toàn, vệ sinh lao động tại "
        "ít nhất 10 doanh nghiệp khai thác khoáng sản và chế biến nông sản trên địa bàn tỉnh.",
        "III. TỔ CHỨC THỰC HIỆN",
        "Ban Chính sách - Pháp luật chủ trì tham mưu triển khai kế hoạch; các công đoàn cấp trên "
        "trực tiếp cơ sở báo cáo kết quả về Liên đoàn Lao động tỉnh trước ngày 15/6/2024.",
        "Nơi nhận:",
        "- Tổng LĐLĐ Việt Nam (b/c);",
        "- Các công đoàn cấp trên trực tiếp cơ sở;",
        "- Lưu VT.",
        "TM. BAN THƯỜNG VỤ",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Văn Bình",
    ],
    captions={},
    author="",
    date="2024-04-15",
    province=("Đắk Nông", "Lâm Đồng"),
    docs=["25/KH-LĐLĐ", "12/HD-TLĐ"],
    # The text is what lies between the heading block (issuer, number, place and date, type and
    # subject) and the closing block (Nơi nhận, signature): the record carries those as fields.
    text_lines=(5, -7),
)


def gold_body(article: dict) -> list[str]:
    body = [line[3:] if line.startswith("## ") else line for line in article["body"]]
    if "text_lines" in article:
        start, end = article["text_lines"]
        body = body[start:end]
    return body
