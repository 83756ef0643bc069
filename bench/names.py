"""Vietnamese-looking material for synthetic data: places, people, brands, vendors, difficulties.

Everything is fictional; place names are two common syllables, so searches such as "tan hong"
find a realistic share of facilities.
"""

import datetime
import random

PLACE_SYLLABLES = [
    "An", "Bình", "Phú", "Long", "Mỹ", "Hòa", "Thạnh", "Hưng", "Phước", "Thuận", "Đông", "Tây", "Nam",
    "Bắc", "Trung", "Vĩnh", "Lộc", "Thành", "Xuân", "Hiệp", "Lợi", "Sơn", "Hải", "Giang", "Quang", "Minh",
    "Đức", "Hồng", "Thới", "Khánh", "Lạc", "Hà", "Lâm", "Châu", "Hội", "Định", "Quý", "Kiên", "Tân", "Phong",
    "Thọ", "Hậu", "Cường", "Điền", "Thắng", "Lương", "Ninh", "Yên", "Cát", "Tiến",
]  # fmt: skip
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hoàng", "Quốc", "Kim", "Hữu", "Thành", "Đức", "Thu"]
GIVEN = [
    "An", "Bình", "Cường", "Dũng", "Hạnh", "Hòa", "Hùng", "Lan", "Linh", "Mai", "Nam", "Phúc", "Tâm",
    "Thảo", "Trang", "Tuấn", "Vy", "Yến", "Khoa", "Long", "Nhung", "Quân", "Sơn", "Uyên",
]  # fmt: skip
SPECIALTIES = [
    "Sản - Nhi", "Phổi", "Tâm thần", "Y học cổ truyền", "Mắt", "Phục hồi chức năng", "Ung bướu",
    "Tim mạch", "Da liễu", "Nhi", "Răng Hàm Mặt", "Lao và Bệnh phổi",
]  # fmt: skip
CLINIC_KINDS = [
    "Đa khoa", "Đa khoa", "Đa khoa", "Nhi", "Sản phụ khoa", "Răng Hàm Mặt", "Mắt", "Tai Mũi Họng", "Da liễu",
    "Nội tổng hợp", "Chẩn đoán hình ảnh", "Y học cổ truyền", "Xét nghiệm",
]  # fmt: skip
BRAND_WORDS = ["Tâm", "Đức", "An", "Phúc", "Khang", "Thiện", "Nhân", "Ái", "Minh", "Hồng", "Việt", "Sài Gòn", "Mê Kông"]
OTHER_UNITS = [
    "Bệnh xá Quân dân y", "Bệnh xá Công an", "Phòng khám Trung tâm Giám định y khoa", "Trạm xá Bộ đội Biên phòng",
    "Phòng y tế Khu công nghiệp",
]  # fmt: skip
HIS_VENDORS = [
    ("VNPT HIS", "3.2"), ("Viettel HIS", "2.8"), ("FPT.eHospital", "2.0"), ("OneMES", "5.1"), ("Hồng Đức HIS", "4.0"),
    ("DHG Hospital", "1.9"), ("His Tâm Anh", "2.1"), ("Medisoft", "2025"),
]  # fmt: skip
EMR_VENDORS = ["VNPT EMR", "Viettel EMR", "FPT.eHospital EMR", "OneMES EMR", "Hồng Đức EMR", ""]
DIFFICULTIES = [
    "Thiếu kinh phí đầu tư máy chủ và máy trạm cho các khoa lâm sàng.",
    "Nhiều nhân viên chưa được cấp chữ ký số cá nhân.",
    "Phần mềm HIS chưa kết nối ổn định với cổng giám định BHXH.",
    "Đường truyền Internet không ổn định, thường xuyên mất kết nối.",
    "Chưa có nhân lực công nghệ thông tin chuyên trách.",
    "Nhà cung cấp phần mềm chậm cập nhật theo Thông tư 13/2025/TT-BYT.",
    "Chưa hoàn thành hồ sơ đề xuất cấp độ an toàn hệ thống thông tin.",
    "Nhân viên lớn tuổi còn khó khăn khi thao tác trên phần mềm.",
    "Chưa đồng bộ dữ liệu Sổ sức khỏe điện tử lên VNeID.",
    "Sau sáp nhập đơn vị hành chính, trạm phải thay đổi phần mềm và mã cơ sở.",
]
SUPPORT = [
    "Đề nghị Sở Y tế hỗ trợ kinh phí mua sắm thiết bị.",
    "Đề nghị tổ chức tập huấn sử dụng chữ ký số.",
    "Đề nghị Sở làm việc với nhà cung cấp phần mềm để đẩy nhanh tiến độ.",
    "Đề nghị hướng dẫn thủ tục thẩm định hồ sơ đề xuất cấp độ an toàn hệ thống thông tin.",
]
RETURN_COMMENTS = [
    "Số khoa triển khai chưa khớp với báo cáo tháng trước, đề nghị kiểm tra lại.",
    "Thiếu ngày ký quyết định sử dụng hồ sơ bệnh án điện tử.",
    "Tỷ lệ hồ sơ ký số chưa hợp lý so với số nhân viên có chứng thư số.",
]
STAGE_BACK = "Phần mềm mới triển khai lại từ đầu sau khi thay nhà cung cấp."
DEPARTMENTS_DROP = "Một số khoa tạm dừng sử dụng bệnh án điện tử do sự cố máy chủ."
EXTENSION_REASON = "Trạm sáp nhập sau sắp xếp đơn vị hành chính, đang thay phần mềm HIS."
EXTENSION_DOCUMENT = ("2150/SYT-NVY", datetime.date(2026, 10, 15))  # every extension rests on a document


def place(rng: random.Random) -> str:
    first, second = rng.sample(PLACE_SYLLABLES, 2)
    return f"{first} {second}"


def person(rng: random.Random) -> tuple[str, str]:
    """(first names as Django stores them: surname and middle name, last name: the given name)."""
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)}", rng.choice(GIVEN)


def brand(rng: random.Random) -> str:
    first, second = rng.sample(BRAND_WORDS, 2)
    return f"{first} {second}"
