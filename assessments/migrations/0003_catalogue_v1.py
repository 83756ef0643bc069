"""Criteria catalogue version 1, from domain.md section 14 (groups A to I, criteria A1…I1), published.

Decisions taken where the brief leaves room (later versions change them through the admin:
"copy as new draft version", edit, publish):

- Mandatory: `B` stays mandatory; `B?` ("mandatory per guidance, or unsettled") is recorded
  as mandatory where it applies, with the reason in the applicability note; `N` is recommended.
  A2 is `B?` because the provincial dispatch asks for the plan. Criteria that are mandatory
  only in a case the portal does not record (A9 legacy digitisation, E7 Ministry units) or
  only from a later date (G6 from 01/01/2027) are recommended here, with the condition in the
  note; the catalogue version of 2027 should make G6 mandatory.
- Weights: B = 3, B? = 2, N = 1, so the score leans on the legal requirements.
- Applicability: H1 hospitals only; D2, G1, G2, G6 only with a BHYT contract; A10 and F4 only
  with rented or cloud software; G5 only for facilities doing health checks.
- Answer types: yes/no for most; a date where the criterion is a document issued or an event
  held on a date (A3, A7, A8, B6, E1, F1: met once the date is given); a percentage with a
  threshold for coverages (B1, C2, C14, D1 at 100 %; G2 at 95 %; G4 at 90 %; H3 at 80 %);
  a number with a threshold for counts and levels (C13 TT 54 level at least 2, H2 at least 1).
"""

import datetime
from decimal import Decimal

from django.db import migrations

TITLE = "Bộ tiêu chí đánh giá mức độ sẵn sàng triển khai hồ sơ bệnh án điện tử"
NOTES = (
    "Phiên bản 1, theo Thông tư 13/2025/TT-BYT, Công văn 365/TTYQG-GPQLCL và các văn bản liên quan. "
    "Trọng số: bắt buộc 3, bắt buộc nếu áp dụng 2, khuyến nghị 1."
)
PUBLISHED_AT = datetime.datetime(2025, 12, 1, 8, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
WEIGHTS = {"B": 3, "B?": 2, "N": 1}

GROUPS = [
    ("A", "Pháp lý – tổ chức", "Governance and legal"),
    ("B", "Hạ tầng công nghệ thông tin", "IT infrastructure"),
    ("C", "Phần mềm (HIS / LIS / RIS-PACS / HSBA điện tử)", "Software (HIS / LIS / RIS-PACS / EMR)"),
    ("D", "Chữ ký số và xác thực", "Digital signatures and confirmation"),
    ("E", "An toàn thông tin, an ninh mạng", "Information security"),
    ("F", "Bảo vệ dữ liệu cá nhân", "Personal-data protection"),
    ("G", "Liên thông dữ liệu (BHXH, VNeID)", "Interoperability (BHXH, VNeID)"),
    ("H", "Nhân lực và đào tạo", "Staffing and training"),
    ("I", "Lưu trữ dữ liệu", "Data retention"),
]

# Applicability shorthands.
ALL = {}
HOSPITALS = {"applies_to_others": False}
BHYT = {"requires_bhyt": True}
RENTED = {"requires_rented_software": True}
HEALTH_CHECKS = {"requires_health_checks": True}

NOTE_BHYT = ("Chỉ áp dụng cho cơ sở có hợp đồng khám, chữa bệnh BHYT.", "Only for facilities with a BHYT contract.")
NOTE_RENTED = (
    "Chỉ áp dụng khi thuê phần mềm hoặc dùng dịch vụ đám mây.",
    "Only where the software is rented or cloud-hosted.",
)

# (code, mandatory, answer type, threshold, applicability, text vi, text en, evidence vi, evidence en,
#  legal basis, applicability note (vi, en))
CRITERIA = {
    "A": [
        ("A1", "N", "yes_no", None, ALL,
         "Đã thành lập Ban chỉ đạo hoặc Tổ triển khai hồ sơ bệnh án điện tử",
         "Steering committee or working team for the EMR set up",
         "Quyết định thành lập", "Decision", "", ("", "")),
        ("A2", "B?", "yes_no", None, ALL,
         "Kế hoạch triển khai hồ sơ bệnh án điện tử có lộ trình đã được phê duyệt",
         "EMR implementation plan with a roadmap approved",
         "Văn bản kế hoạch", "Plan document", "Yêu cầu của Bộ Y tế; kế hoạch của tỉnh",
         ("Bắt buộc theo công văn chỉ đạo của tỉnh.", "Mandatory under the provincial dispatch.")),
        ("A3", "B", "date", None, ALL,
         "Đã ban hành Quy chế lập, cập nhật, quản lý, lưu trữ, sử dụng và bảo đảm an toàn thông tin hồ sơ bệnh án "
         "điện tử, gồm quy định về việc ký (ngày ban hành)",
         "Internal EMR regulation (creating, updating, managing, storing, using and securing the EMR) issued, "
         "including the signing rules (date issued)",
         "Số, ngày quyết định và tệp quy chế", "Decision number and date, and the regulation file",
         "TT 13/2025/TT-BYT Đ6 k3 b; NĐ 90 Đ39 k2 c", ("", "")),
        ("A4", "B?", "yes_no", None, ALL,
         "Đã ban hành quy chế quản lý, sử dụng chữ ký số, chữ ký điện tử và xác thực điện tử",
         "Regulation on managing and using digital signatures, e-signatures and e-authentication issued",
         "Quyết định ban hành", "Decision", "CV 365 mục V",
         ("Bắt buộc theo hướng dẫn của Công văn 365.", "Mandatory per the guidance of CV 365.")),
        ("A5", "B", "yes_no", None, ALL,
         "Đã ban hành danh mục các từ viết tắt được phép sử dụng",
         "List of permitted abbreviations issued",
         "Tệp danh mục", "File", "TT 32/2023/TT-BYT Đ52 k2 c", ("", "")),
        ("A6", "B?", "yes_no", None, ALL,
         "Đã thành lập Hội đồng thẩm định nội bộ và hoàn thành tự đánh giá theo Điều 1–3 Thông tư 13 và Công văn 365",
         "Internal appraisal council formed; self-assessment against TT 13 Art. 1–3 and CV 365 completed",
         "Biên bản và bảng kiểm", "Minutes and checklist", "TT 13/2025/TT-BYT Đ1–3; CV 365",
         ("Bắt buộc theo thực tiễn: thẩm định trước khi ra quyết định.",
          "Mandatory in practice: the appraisal comes before the decision.")),
        ("A7", "B", "date", None, ALL,
         "Thủ trưởng cơ sở đã ký Quyết định sử dụng hồ sơ bệnh án điện tử thay thế bệnh án giấy (số, ngày, ngày "
         "hiệu lực, phạm vi: nội trú, ban ngày, ngoại trú): ngày ký",
         "Head's Decision to use the EMR instead of paper records (number, date, effective date, scope: inpatient, "
         "day-care, outpatient): date signed",
         "Quyết định", "Decision", "TT 13/2025/TT-BYT Đ4", ("", "")),
        ("A8", "B?", "date", None, ALL,
         "Đã công bố trên Cổng thông tin hồ sơ bệnh án điện tử của Bộ Y tế (benhandientu.moh.gov.vn): ngày công bố",
         "Announced on the Ministry of Health EMR portal (benhandientu.moh.gov.vn): date",
         "Đường dẫn hoặc ảnh chụp màn hình", "Link or screenshot", "",
         ("Bắt buộc theo hướng dẫn công bố của Bộ Y tế.", "Mandatory per the Ministry's announcement guidance.")),
        ("A9", "N", "yes_no", None, ALL,
         "Có quyết định về việc số hóa hồ sơ bệnh án giấy đã có (nếu cơ sở số hóa)",
         "Decision on converting legacy paper records (if the facility digitises them)",
         "Quyết định", "Decision", "TT 13/2025/TT-BYT Đ5 k2; NĐ 137/2024",
         ("Bắt buộc khi cơ sở số hóa hồ sơ bệnh án giấy cũ.",
          "Mandatory when the facility digitises legacy paper records.")),
        ("A10", "B?", "yes_no", None, RENTED,
         "Hợp đồng thuê phần mềm, dịch vụ đám mây quy định: dữ liệu thuộc sở hữu của cơ sở, bàn giao kèm đặc tả, "
         "xóa dữ liệu an toàn, cam kết bảo mật, dữ liệu lưu trữ tại Việt Nam",
         "Rental or cloud contract: data owned by the facility, handover with a specification, secure deletion, "
         "non-disclosure, data kept in Vietnam",
         "Trích hợp đồng", "Contract extract", "CV 365 III.2 đ, III.4 c; NĐ 331 Đ5 k3", NOTE_RENTED),
    ],
    "B": [
        ("B1", "B", "percent", 100, ALL,
         "Có máy trạm tại mọi khoa lâm sàng: tỷ lệ khoa lâm sàng có đủ máy trạm (%)",
         "Workstations in every clinical department: share of clinical departments equipped (%)",
         "Số liệu kiểm kê thiết bị", "Inventory numbers", "TT 13/2025/TT-BYT Đ2 k1", ("", "")),
        ("B2", "B", "yes_no", None, ALL,
         "Mạng LAN/Wi-Fi phủ các khu vực lâm sàng; đường truyền Internet cho liên thông BHXH và Sổ sức khỏe điện tử",
         "LAN/Wi-Fi covering the clinical areas; Internet link for BHXH and the electronic health book",
         "Sơ đồ mạng, băng thông", "Network topology, bandwidth", "TT 13/2025/TT-BYT Đ2 k1", ("", "")),
        ("B3", "B", "yes_no", None, ALL,
         "Máy chủ đặt tại cơ sở hoặc dịch vụ đám mây đặt tại Việt Nam",
         "Servers on premises, or cloud located in Vietnam",
         "Cấu hình hoặc hợp đồng", "Specification or contract", "TT 13/2025/TT-BYT Đ2 k1; CV 365 III.2 a",
         ("Yêu cầu đặt tại Việt Nam theo hướng dẫn của Công văn 365.", "The Vietnam location follows CV 365.")),
        ("B4", "B", "yes_no", None, ALL,
         "Có hệ thống lưu trữ và sao lưu; ít nhất một bản sao lưu được giữ tại cơ sở",
         "Storage with backup; at least one backup copy held at the facility",
         "Lịch hoặc báo cáo sao lưu", "Backup schedule or report", "TT 13/2025/TT-BYT Đ2 k1; CV 365 III.2 c",
         ("", "")),
        ("B5", "N", "yes_no", None, ALL,
         "Có bản sao lưu thứ hai lưu ngoài cơ sở",
         "Second backup copy held off-site",
         "", "", "CV 365 III.2 c", ("", "")),
        ("B6", "B", "date", None, ALL,
         "Đã diễn tập khôi phục dữ liệu thành công (ngày diễn tập; RTO/RPO)",
         "Restore capability tested (drill date; RTO/RPO)",
         "Biên bản diễn tập", "Drill minutes", "TT 13/2025/TT-BYT Đ2 k4; TCVN 14423", ("", "")),
        ("B7", "B?", "yes_no", None, ALL,
         "Hạ tầng sẵn sàng IPv6",
         "IPv6 readiness",
         "Văn bản xác nhận", "Statement", "CV 365 III.5",
         ("Bắt buộc theo hướng dẫn của Công văn 365.", "Mandatory per the guidance of CV 365.")),
        ("B8", "N", "yes_no", None, ALL,
         "Có UPS hoặc nguồn điện dự phòng cho máy chủ và thiết bị mạng",
         "UPS or backup power for the servers and the network",
         "", "", "", ("", "")),
        ("B9", "N", "yes_no", None, ALL,
         "Có thiết bị tại nơi khám, điều trị (máy tính bảng, máy quét mã vạch, bảng ký hoặc thiết bị sinh trắc học)",
         "Devices at the point of care (tablets, barcode scanners, signature pads or biometrics)",
         "Số lượng thiết bị", "Counts", "CV 365 III.1.1 e", ("", "")),
    ],
    "C": [
        ("C1", "B", "yes_no", None, ALL,
         "Phần mềm quản lý bệnh viện (HIS) đang vận hành (nhà cung cấp, sản phẩm, phiên bản)",
         "HIS in operation (vendor, product, version)",
         "Nhà cung cấp, phiên bản", "Vendor and version", "TT 48/2017/TT-BYT; QĐ 130/QĐ-BYT; TT 54/2017/TT-BYT",
         ("Bắt buộc trên thực tế: không có HIS thì không gửi được dữ liệu XML cho BHXH.",
          "Mandatory in practice: BHYT XML cannot be sent without a HIS.")),
        ("C2", "B", "percent", 100, ALL,
         "Phân hệ hồ sơ bệnh án điện tử (trong HIS hoặc độc lập) đáp ứng mọi mẫu bệnh án theo Thông tư 32/2023 "
         "(Phụ lục XXVIII/XXIX) mà cơ sở sử dụng: tỷ lệ mẫu đã số hóa (%)",
         "EMR module (HIS module or standalone) covering every TT 32/2023 template the facility uses "
         "(Appendix XXVIII/XXIX): share of templates digitised (%)",
         "Danh mục mẫu bệnh án", "Template list", "TT 13/2025/TT-BYT Đ1 k2; TT 32/2023 Đ52 k1 b; CV 365 III.1.1 a, i",
         ("", "")),
        ("C3", "B", "yes_no", None, ALL,
         "Quản lý người bệnh theo số định danh cá nhân 12 số (có mã tạm cho trẻ sơ sinh, người bệnh không rõ danh "
         "tính, người nước ngoài)",
         "Patient master index keyed on the 12-digit personal ID number (temporary IDs for newborns, unknown "
         "patients, foreigners)",
         "Trình diễn hoặc tỷ lệ người bệnh có số định danh", "Demo or share of patients with an ID",
         "TT 13/2025/TT-BYT Đ1 k3; CV 365 III.1.1 a; NĐ 102/2025 Đ6", ("", "")),
        ("C4", "B", "yes_no", None, ALL,
         "Xem hồ sơ dạng PDF; in theo mẫu của Bộ Y tế; bản in có ghi chú được chuyển đổi từ hồ sơ bệnh án điện tử",
         "PDF view; printing in the Ministry of Health layout; printed copies marked as converted from the EMR",
         "Bản in mẫu", "Sample", "CV 365 III.1.1 a, e; Luật Giao dịch điện tử Đ12", ("", "")),
        ("C5", "B", "yes_no", None, ALL,
         "Phân quyền theo vai trò, giới hạn thời gian truy cập, không dùng chung tài khoản",
         "Role-based permissions, access time windows, no shared accounts",
         "Ma trận phân quyền", "Permission matrix", "CV 365 III.1.1 c, g; Luật Khám bệnh, chữa bệnh Đ10",
         ("", "")),
        ("C6", "B?", "yes_no", None, ALL,
         "Ghi nhật ký mọi giao dịch, kể cả thao tác xem hồ sơ",
         "Audit log of all transactions, including viewing",
         "Mẫu nhật ký", "Log sample", "CV 365 III.1.1 đ, III.1.2",
         ("Bắt buộc theo hướng dẫn của Công văn 365.", "Mandatory per the guidance of CV 365.")),
        ("C7", "B", "yes_no", None, ALL,
         "Chỉnh sửa có lưu phiên bản; không xóa nội dung đã ký",
         "Versioned corrections; signed content is never erased",
         "Trình diễn", "Demo", "Luật Khám bệnh, chữa bệnh Đ7 k10; NĐ 90 Đ38 k5 e", ("", "")),
        ("C8", "B?", "yes_no", None, ALL,
         "Xuất dữ liệu XML/JSON theo phụ lục Công văn 365 (HoSoBenhAn, 11 nhóm thông tin)",
         "XML/JSON export per the CV 365 appendix (HoSoBenhAn, 11 groups)",
         "Tệp mẫu", "Sample file", "CV 365 III.1.1 d",
         ("Bắt buộc theo hướng dẫn của Công văn 365.", "Mandatory per the guidance of CV 365.")),
        ("C9", "B?", "yes_no", None, ALL,
         "Sử dụng danh mục dùng chung của Bộ Y tế (ICD-10 theo Thông tư 06/2026, dịch vụ kỹ thuật, thuốc…)",
         "Ministry of Health shared catalogues used (ICD-10 per TT 06/2026, services, drugs…)",
         "Bảng đối chiếu danh mục", "Mapping", "CV 365 III.1.1 h",
         ("Bắt buộc theo hướng dẫn của Công văn 365.", "Mandatory per the guidance of CV 365.")),
        ("C10", "B?", "yes_no", None, ALL,
         "Dữ liệu hồ sơ bệnh án điện tử được lưu trữ độc lập với HIS/LIS/PACS",
         "EMR data stored independently of HIS/LIS/PACS",
         "Sơ đồ kiến trúc", "Architecture", "CV 365 III.1.1 k",
         ("Bắt buộc theo hướng dẫn của Công văn 365.", "Mandatory per the guidance of CV 365.")),
        ("C11", "N", "yes_no", None, ALL,
         "Hệ thống thông tin xét nghiệm (LIS) kết nối với HIS (nếu có xét nghiệm); mức LIS theo Thông tư 54 "
         "(cơ bản/nâng cao)",
         "LIS connected to the HIS (if the facility has a laboratory); TT 54 LIS level (basic/advanced)",
         "Mức tự đánh giá", "Self-reported level", "TT 54/2017/TT-BYT; kế hoạch của tỉnh",
         ("Chỉ khi cơ sở có xét nghiệm; bắt buộc nơi tỉnh yêu cầu.",
          "Only for facilities with a laboratory; mandatory where the province requires it.")),
        ("C12", "N", "yes_no", None, ALL,
         "Hệ thống RIS-PACS (nếu có chẩn đoán hình ảnh); không in phim; mức theo Thông tư 54",
         "RIS-PACS (if the facility does imaging); no film printing; TT 54 level",
         "Mức tự đánh giá", "Self-reported level", "TT 54/2017/TT-BYT",
         ("Chỉ khi cơ sở có chẩn đoán hình ảnh.", "Only for facilities doing imaging.")),
        ("C13", "N", "number", 2, ALL,
         "Mức ứng dụng công nghệ thông tin tổng thể theo Thông tư 54 (1–7), tự đánh giá",
         "TT 54 overall IT application level (1–7), self-reported",
         "Mức và ngày báo cáo", "Level and report date", "TT 54/2017/TT-BYT",
         ("Báo cáo hằng năm là bắt buộc theo Thông tư 54.", "The annual report is mandatory under TT 54.")),
        ("C14", "B", "percent", 100, ALL,
         "Kê đơn thuốc điện tử liên thông với Hệ thống đơn thuốc quốc gia: tỷ lệ đơn thuốc (%)",
         "E-prescribing linked to the national prescription system: share of prescriptions (%)",
         "Tỷ lệ đơn thuốc điện tử", "Share of prescriptions", "TT 26/2025 Đ13 k3", ("", "")),
    ],
    "D": [
        ("D1", "B", "percent", 100, ALL,
         "Mọi nhân viên y tế ký hồ sơ bệnh án có chứng thư số cá nhân còn hiệu lực (USB token, ký số từ xa hoặc HSM): "
         "tỷ lệ (%)",
         "Every health worker who signs records holds a valid personal certificate (USB token, remote signing or "
         "HSM): coverage (%)",
         "Số liệu; nhà cung cấp chứng thư số", "Counts; certificate provider",
         "TT 13/2025/TT-BYT Đ3; Luật Giao dịch điện tử Đ23", ("", "")),
        ("D2", "B", "yes_no", None, BHYT,
         "Chứng thư số của tổ chức còn hiệu lực và đã đăng ký trên Cổng tiếp nhận dữ liệu của BHXH",
         "Organisation certificate valid and registered on the BHXH portal",
         "Số sê-ri, ngày hết hạn", "Serial number, expiry date", "NĐ 188 Đ69 k9; TT 12/2026", NOTE_BHYT),
        ("D3", "B", "yes_no", None, ALL,
         "Có phương thức xác nhận của người bệnh hoặc người đại diện (chữ ký số, sinh trắc học hoặc OTP) và lưu "
         "bằng chứng xác nhận",
         "Patient or representative confirmation method in place (digital signature, biometrics or OTP) with an "
         "evidence record",
         "Phương thức đã chọn", "Method chosen", "TT 13/2025/TT-BYT Đ3",
         ("Bắt buộc về phương thức; mức lưu bằng chứng theo hướng dẫn.",
          "The method is mandatory; the level of evidence follows guidance.")),
        ("D4", "B?", "yes_no", None, ALL,
         "Phần mềm ký số kiểm tra trạng thái chứng thư số (OCSP/CRL) theo Nghị định 23/2025, Điều 15–17",
         "Signing software checks the certificate status (OCSP/CRL) per NĐ 23/2025 Art. 15–17",
         "Xác nhận của nhà cung cấp", "Vendor statement", "NĐ 23/2025",
         ("Bắt buộc chậm nhất khoảng ngày 10/04/2027.", "Mandatory by about 10/04/2027.")),
    ],
    "E": [
        ("E1", "B", "date", None, ALL,
         "Hồ sơ đề xuất cấp độ an toàn hệ thống thông tin cho HIS/HSBA điện tử (từ cấp độ 2) đã được thẩm định và "
         "phê duyệt (theo NĐ 85 hoặc NĐ 331): ngày quyết định",
         "Security-level dossier for the HIS/EMR system (level 2 or above) appraised and approved (NĐ 85 or "
         "NĐ 331): decision date",
         "Quyết định phê duyệt", "Approval decision", "CV 365 III.4; NĐ 331/2026; CT 07 (30/09/2026)", ("", "")),
        ("E2", "B", "yes_no", None, ALL,
         "Đã ban hành Quy chế bảo đảm an ninh mạng trước khi phê duyệt cấp độ",
         "Cyber-security regulation issued before the security level was approved",
         "Quyết định ban hành", "Decision", "NĐ 331/2026 Đ30 k7", ("", "")),
        ("E3", "B?", "yes_no", None, ALL,
         "Đã kiểm tra, đánh giá an toàn thông tin trước khi đưa vào vận hành",
         "Security test or assessment done before go-live",
         "Báo cáo kiểm tra", "Test report", "CV 365 III.1.2",
         ("Bắt buộc theo hướng dẫn của Công văn 365.", "Mandatory per the guidance of CV 365.")),
        ("E4", "B", "yes_no", None, ALL,
         "Có cán bộ hoặc bộ phận chuyên trách an toàn thông tin được phân công và đào tạo",
         "Named security officer or unit, trained",
         "Quyết định phân công", "Decision", "NĐ 331/2026", ("", "")),
        ("E5", "B?", "yes_no", None, ALL,
         "Xác thực đa yếu tố khi truy cập từ xa và quản trị; có chính sách mật khẩu; khóa tài khoản không hoạt động "
         "sau 45 ngày",
         "MFA for remote and administrative access; password policy; inactive accounts disabled after 45 days",
         "Cấu hình", "Configuration", "TCVN 14423:2026",
         ("Bắt buộc theo TCVN 14423:2026.", "Mandatory per TCVN 14423:2026.")),
        ("E6", "B", "yes_no", None, ALL,
         "Có phương án ứng phó sự cố (24 giờ/72 giờ) và báo cáo hằng năm gửi Bộ Công an (trước ngày 25/12)",
         "Incident-response plan (24 h / 72 h) and annual report to the Ministry of Public Security (by 25/12)",
         "Phương án; ngày gửi báo cáo", "Plan; report date", "Luật 116/2025; NĐ 331/2026", ("", "")),
        ("E7", "N", "yes_no", None, ALL,
         "Lưu nhật ký: nhật ký máy chủ ít nhất 6 tháng, nhật ký ứng dụng ít nhất 3 tháng",
         "Log retention: server logs at least 6 months, application logs at least 3 months",
         "Cấu hình", "Configuration", "QĐ 326/QĐ-BYT",
         ("Bắt buộc với đơn vị trực thuộc Bộ Y tế.", "Mandatory for units under the Ministry of Health.")),
    ],
    "F": [
        ("F1", "B", "date", None, ALL,
         "Đã nộp hồ sơ đánh giá tác động xử lý dữ liệu cá nhân cho Cục A05 trong vòng 60 ngày kể từ khi xử lý: "
         "ngày nộp",
         "Personal-data impact assessment filed with A05 within 60 days of processing: filing date",
         "Giấy tiếp nhận hoặc ngày nộp", "Filing receipt or date", "Luật 91/2025; NĐ 356/2025", ("", "")),
        ("F2", "B", "yes_no", None, ALL,
         "Có mẫu văn bản đồng ý theo từng mục đích và lưu bằng chứng sự đồng ý",
         "Purpose-specific consent forms and consent records",
         "Mẫu văn bản", "Form", "NĐ 356/2025 Đ6", ("", "")),
        ("F3", "B", "yes_no", None, ALL,
         "Có quy trình thông báo vi phạm dữ liệu cá nhân (trong 72 giờ)",
         "Breach-notification procedure (within 72 h)",
         "Quy trình", "Procedure", "Luật 91/2025 Đ23", ("", "")),
        ("F4", "B", "yes_no", None, RENTED,
         "Có thỏa thuận xử lý dữ liệu với nhà cung cấp; nhà cung cấp có giấy chứng nhận của Bộ Công an",
         "Data-processing agreement with the vendor; the vendor holds the Ministry of Public Security certificate",
         "Hợp đồng hoặc giấy chứng nhận", "Contract or certificate", "NĐ 356/2025 Đ21", NOTE_RENTED),
        ("F5", "B", "yes_no", None, ALL,
         "Có quy trình giải quyết yêu cầu của chủ thể dữ liệu (phản hồi trong 2 ngày làm việc)",
         "Data-subject rights procedure (response within 2 working days)",
         "Quy trình", "Procedure", "NĐ 356/2025 Đ5", ("", "")),
    ],
    "G": [
        ("G1", "B", "yes_no", None, BHYT,
         "Có mã cơ sở khám, chữa bệnh 5 ký tự và hợp đồng khám, chữa bệnh BHYT",
         "5-character KCB facility code and a BHYT contract",
         "Mã cơ sở", "Code", "QĐ 130/QĐ-BYT; NĐ 188", NOTE_BHYT),
        ("G2", "B", "percent", 95, BHYT,
         "Gửi dữ liệu XML có ký số (QĐ 130/4750/3176/1931) sau mỗi lượt khám, chữa bệnh; có tài khoản trên Cổng "
         "BHXH: tỷ lệ gửi đúng hạn trong tháng (%)",
         "Signed XML (QĐ 130/4750/3176/1931) sent after each encounter; BHXH portal account: share sent on time in "
         "the month (%)",
         "Tỷ lệ gửi đúng hạn hằng tháng", "Monthly share on time", "TT 48/2017/TT-BYT; NĐ 188", NOTE_BHYT),
        ("G3", "B", "yes_no", None, ALL,
         "Gửi dữ liệu Sổ sức khỏe điện tử (VNeID) cho mọi người bệnh, có và không có BHYT",
         "Electronic health book (VNeID) data sent for all patients, with or without BHYT",
         "Bảng đối chiếu theo QĐ 2733", "QĐ 2733 matrix", "QĐ 31/2026; NĐ 102/2025", ("", "")),
        ("G4", "B", "percent", 90, ALL,
         "Tiếp đón người bệnh bằng thẻ căn cước (QR/chip), số định danh cá nhân hoặc VNeID, không yêu cầu bản "
         "photo: tỷ lệ lượt tiếp đón (%)",
         "Reception by citizen ID card (QR/chip), personal ID number or VNeID, no photocopies required: share of "
         "encounters (%)",
         "Tỷ lệ lượt tiếp đón", "Share of encounters", "Luật Căn cước; QĐ 2733", ("", "")),
        ("G5", "B", "yes_no", None, HEALTH_CHECKS,
         "Có mã định danh cơ sở 13 số và tài khoản trên Cổng khám sức khỏe; gửi dữ liệu trong 24 giờ",
         "13-digit facility ID and accounts on the health-check portal; data pushed within 24 h",
         "Mã định danh, tài khoản", "ID and accounts", "QĐ 1551/2026",
         ("Chỉ áp dụng cho cơ sở có khám sức khỏe.", "Only for facilities performing health checks.")),
        ("G6", "N", "yes_no", None, BHYT,
         "Chia sẻ và sử dụng lại kết quả cận lâm sàng giữa các cơ sở khám, chữa bệnh BHYT",
         "Paraclinical results shared and reused between BHYT facilities",
         "Mức độ sẵn sàng", "Readiness", "Luật 51/2024 Đ3 k4",
         ("Cơ sở có hợp đồng BHYT; bắt buộc từ 01/01/2027 (phiên bản sau của bộ tiêu chí).",
          "Facilities with a BHYT contract; mandatory from 01/01/2027 (next catalogue version).")),
        ("G7", "B?", "yes_no", None, ALL,
         "Đã phê duyệt quy chế, quy trình nội bộ về Sổ sức khỏe điện tử",
         "Internal electronic health book regulation and process approved",
         "Quyết định phê duyệt", "Decision", "QĐ 2733",
         ("Bắt buộc theo hướng dẫn của QĐ 2733.", "Mandatory per the guidance of QĐ 2733.")),
    ],
    "H": [
        ("H1", "B", "yes_no", None, HOSPITALS,
         "Có phòng hoặc bộ phận công nghệ thông tin (bệnh viện)",
         "IT department or IT unit (hospitals)",
         "Quyết định, số nhân sự", "Decision, head count", "TT 35/2024 (PL II.9)",
         ("Chỉ áp dụng cho bệnh viện.", "Hospitals only.")),
        ("H2", "N", "number", 1, ALL,
         "Số cán bộ công nghệ thông tin chuyên trách (ghi trình độ trong ghi chú)",
         "Dedicated IT staff (count; qualifications in the note)",
         "Số liệu", "Numbers", "", ("", "")),
        ("H3", "N", "percent", 80, ALL,
         "Tỷ lệ nhân viên lâm sàng được đào tạo sử dụng hồ sơ bệnh án điện tử và ký số (%)",
         "Share of clinical staff trained on the EMR and digital signing (%)",
         "Số liệu", "Counts", "Kế hoạch của tỉnh", ("", "")),
        ("H4", "N", "yes_no", None, ALL,
         "Có cam kết mức dịch vụ hỗ trợ (SLA) của nhà cung cấp hoặc hỗ trợ tại chỗ",
         "Vendor support SLA or on-site support",
         "Hợp đồng", "Contract", "", ("", "")),
    ],
    "I": [
        ("I1", "B", "yes_no", None, ALL,
         "Đã cấu hình thời hạn lưu trữ (10/20/30 năm; định dạng PDF/A kèm siêu dữ liệu)",
         "Retention periods configured (10 / 20 / 30 years; PDF/A with metadata)",
         "Chính sách lưu trữ", "Policy", "TT 33/2025; Luật Lưu trữ 2024", ("", "")),
    ],
}  # fmt: skip


def load_catalogue(apps, schema_editor):
    Catalogue = apps.get_model("assessments", "Catalogue")
    CriterionGroup = apps.get_model("assessments", "CriterionGroup")
    Criterion = apps.get_model("assessments", "Criterion")
    if Catalogue.objects.filter(version=1).exists():
        return
    catalogue = Catalogue.objects.create(version=1, title=TITLE, notes=NOTES, published_at=PUBLISHED_AT)
    for group_order, (code, name, name_en) in enumerate(GROUPS, start=1):
        group = CriterionGroup.objects.create(
            catalogue=catalogue, code=code, name=name, name_en=name_en, order=group_order
        )
        for order, row in enumerate(CRITERIA[code], start=1):
            (
                criterion_code, mandatory, answer_type, threshold, applicability,
                text, text_en, evidence, evidence_en, legal_basis, (note, note_en),
            ) = row  # fmt: skip
            Criterion.objects.create(
                group=group,
                code=criterion_code,
                text=text,
                text_en=text_en,
                mandatory=mandatory,
                applicability_note=note,
                applicability_note_en=note_en,
                weight=WEIGHTS[mandatory],
                evidence=evidence,
                evidence_en=evidence_en,
                legal_basis=legal_basis,
                answer_type=answer_type,
                threshold=None if threshold is None else Decimal(threshold),
                order=order,
                **applicability,
            )


def unload_catalogue(apps, schema_editor):
    apps.get_model("assessments", "Catalogue").objects.filter(version=1, assessments__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_catalogue_notes_and_one_open_assessment")]

    operations = [migrations.RunPython(load_catalogue, unload_catalogue)]
