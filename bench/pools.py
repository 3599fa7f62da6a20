"""Phrase pools and the shared pool of cited documents for the synthetic corpus.

Everything here is data taken from, or recombined in the style of, the five
bundled documents in ``obligraph/corpus/``. Task texts are built as
``verb + object + qualifier`` so the same task recurs across plans, sometimes
reworded (synonym swaps), which is what the overlap computation must find.

>>> len(VERBS) > 5 and len(OBJECTS) > 10 and len(QUALIFIERS) > 5
True
>>> LAWS[0].cite_text()
'Luật Trẻ em ngày 05 tháng 4 năm 2016'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CitedDoc:
    """A document of the shared pool: cited by the generated plans, never generated."""

    doc_type: str  # "Luật", "Nghị định", "Quyết định", "Nghị quyết"
    number: str  # "" for a law cited by name
    day: int
    month: int
    year: int
    issuer: str  # "Chính phủ", "Thủ tướng Chính phủ", "Quốc hội"
    title: str

    def cite_text(self) -> str:
        """How a Căn cứ line names it: ``Nghị định số 14/2017/NĐ-CP ngày 17 tháng 02 năm 2017``."""
        date = f"ngày {self.day:02d} tháng {self.month} năm {self.year}"
        if not self.number:
            return f"{self.title} {date}"
        return f"{self.doc_type} số {self.number} {date}"

    def full_text(self) -> str:
        """Citation with issuer and title, as in a Căn cứ line."""
        if not self.number:
            return self.cite_text()
        return f"{self.cite_text()} của {self.issuer} {self.title}"


# Laws and decrees every plan may rest on (real documents the corpus cites).
LAWS: tuple[CitedDoc, ...] = (
    CitedDoc("Luật", "", 5, 4, 2016, "Quốc hội", "Luật Trẻ em"),
    CitedDoc("Luật", "", 19, 6, 2015, "Quốc hội", "Luật Tổ chức chính quyền địa phương"),
    CitedDoc("Luật", "", 19, 6, 2015, "Quốc hội", "Luật Tổ chức Chính phủ"),
    CitedDoc(
        "Nghị quyết",
        "121/2020/QH14",
        19,
        6,
        2020,
        "Quốc hội",
        "về tiếp tục tăng cường hiệu lực, hiệu quả việc thực hiện chính sách, pháp luật "
        "về phòng, chống xâm hại trẻ em",
    ),
    CitedDoc(
        "Nghị định",
        "56/2017/NĐ-CP",
        9,
        5,
        2017,
        "Chính phủ",
        "quy định chi tiết một số điều của Luật Trẻ em",
    ),
    CitedDoc(
        "Nghị định",
        "80/2017/NĐ-CP",
        17,
        7,
        2017,
        "Chính phủ",
        "quy định về môi trường giáo dục an toàn, lành mạnh, thân thiện, phòng, chống "
        "bạo lực học đường",
    ),
    CitedDoc(
        "Nghị định",
        "20/2021/NĐ-CP",
        15,
        3,
        2021,
        "Chính phủ",
        "quy định chính sách trợ giúp xã hội đối với đối tượng bảo trợ xã hội",
    ),
)

# The decree on a ministry's functions, cited first by each ministry plan (one shared decree:
# the graph only needs the chain, not the exact decree of each ministry).
MINISTRY_DECREE = CitedDoc(
    "Nghị định",
    "14/2017/NĐ-CP",
    17,
    2,
    2017,
    "Chính phủ",
    "quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ Lao động - "
    "Thương binh và Xã hội",
)

# National programmes (real, from the corpus); generated national programmes join them.
PROGRAMMES: tuple[CitedDoc, ...] = (
    CitedDoc(
        "Quyết định",
        "23/QĐ-TTg",
        7,
        1,
        2021,
        "Thủ tướng Chính phủ",
        "phê duyệt Chương trình hành động quốc gia vì trẻ em giai đoạn 2021 - 2030",
    ),
    CitedDoc(
        "Quyết định",
        "1863/QĐ-TTg",
        23,
        12,
        2019,
        "Thủ tướng Chính phủ",
        "phê duyệt Kế hoạch hành động quốc gia phòng, chống bạo lực, xâm hại trẻ em "
        "giai đoạn 2020 - 2025",
    ),
    CitedDoc(
        "Quyết định",
        "1437/QĐ-TTg",
        29,
        10,
        2018,
        "Thủ tướng Chính phủ",
        "phê duyệt Đề án Chăm sóc vì sự phát triển toàn diện trẻ em trong những năm đầu đời "
        "tại gia đình và cộng đồng giai đoạn 2018 - 2025",
    ),
    CitedDoc(
        "Quyết định",
        "1438/QĐ-TTg",
        29,
        10,
        2018,
        "Thủ tướng Chính phủ",
        "phê duyệt Đề án Hỗ trợ trẻ em khuyết tật tiếp cận các dịch vụ bảo vệ, chăm sóc, "
        "giáo dục tại cộng đồng giai đoạn 2018 - 2025",
    ),
    CitedDoc(
        "Quyết định",
        "782/QĐ-TTg",
        27,
        5,
        2021,
        "Thủ tướng Chính phủ",
        "phê duyệt Chương trình phòng ngừa, giảm thiểu trẻ em lao động trái quy định của "
        "pháp luật giai đoạn 2021 - 2025, định hướng đến năm 2030",
    ),
    CitedDoc(
        "Quyết định",
        "830/QĐ-TTg",
        1,
        6,
        2021,
        "Thủ tướng Chính phủ",
        "phê duyệt Chương trình Bảo vệ và hỗ trợ trẻ em tương tác lành mạnh, sáng tạo trên "
        "môi trường mạng giai đoạn 2021 - 2025",
    ),
    CitedDoc(
        "Quyết định",
        "1248/QĐ-TTg",
        19,
        7,
        2021,
        "Thủ tướng Chính phủ",
        "phê duyệt Chương trình phòng, chống tai nạn, thương tích trẻ em giai đoạn 2021 - 2030",
    ),
)

# Themes of generated national programmes: "phê duyệt Chương trình {theme} giai đoạn ...".
PROGRAMME_THEMES: tuple[str, ...] = (
    "phòng, chống đuối nước trẻ em",
    "chăm sóc dinh dưỡng trong 1.000 ngày đầu đời",
    "bảo vệ trẻ em trên môi trường mạng",
    "hỗ trợ trẻ em khuyết tật tiếp cận dịch vụ",
    "thúc đẩy quyền tham gia của trẻ em",
    "phòng ngừa lao động trẻ em trái quy định của pháp luật",
    "phát triển hệ thống dịch vụ bảo vệ trẻ em",
    "phòng, chống tai nạn, thương tích trẻ em",
    "chăm sóc sức khỏe tâm thần trẻ em",
    "phòng, chống xâm hại tình dục trẻ em",
)

VERBS: tuple[str, ...] = (
    "Xây dựng và ban hành",
    "Rà soát, đánh giá và đề xuất sửa đổi",
    "Nghiên cứu, đề xuất",
    "Tổ chức tập huấn, bồi dưỡng về",
    "Tăng cường truyền thông, giáo dục về",
    "Hướng dẫn triển khai",
    "Kiểm tra, thanh tra liên ngành việc thực hiện",
    "Thí điểm và nhân rộng",
    "Xây dựng tài liệu hướng dẫn về",
    "Tổng hợp, báo cáo kết quả thực hiện",
    "Nâng cao chất lượng",
    "Khảo sát, đánh giá thực trạng",
)

OBJECTS: tuple[str, ...] = (
    "quy trình, tiêu chuẩn cung cấp dịch vụ bảo vệ trẻ em",
    "chính sách trợ giúp trẻ em có hoàn cảnh đặc biệt",
    "mô hình cung cấp dịch vụ bảo vệ trẻ em chuyên biệt một cửa",
    "kiến thức, kỹ năng bảo vệ trẻ em cho cha mẹ, người chăm sóc trẻ em",
    "hoạt động của Tổng đài điện thoại quốc gia bảo vệ trẻ em (số 111)",
    "cơ sở dữ liệu về trẻ em",
    "dịch vụ tư vấn, tham vấn, trị liệu tâm lý cho trẻ em",
    "mô hình thúc đẩy quyền tham gia của trẻ em",
    "chính sách hỗ trợ chăm sóc, phát triển toàn diện trẻ em đến 8 tuổi",
    "cơ chế phối hợp liên ngành về bảo vệ trẻ em",
    "các lớp kỹ năng phòng, chống đuối nước cho trẻ em",
    "chương trình phòng ngừa, giảm thiểu lao động trẻ em",
    "tiêu chí xã, phường, thị trấn phù hợp với trẻ em",
    "hoạt động văn hóa, vui chơi, giải trí cho trẻ em",
    "dịch vụ chăm sóc sức khỏe, dinh dưỡng cho trẻ em dưới 5 tuổi",
    "biện pháp bảo vệ trẻ em trên môi trường mạng",
    "mạng lưới cộng tác viên, tình nguyện viên bảo vệ trẻ em",
    "chế độ báo cáo, thống kê về trẻ em",
    "điều kiện giáo dục hòa nhập cho trẻ em khuyết tật",
    "hệ thống theo dõi, đánh giá việc thực hiện quyền trẻ em",
)

QUALIFIERS: tuple[str, ...] = (
    "trong trường hợp trẻ em bị bạo lực, xâm hại",
    "cho đội ngũ làm công tác trẻ em các cấp",
    "tại gia đình, cộng đồng",
    "đặc biệt là cấp cơ sở",
    "ở vùng dân tộc thiểu số và miền núi",
    "trong các cơ sở giáo dục",
    "theo chức năng, nhiệm vụ được giao",
    "gắn với chuyển đổi số",
    "trên các phương tiện thông tin đại chúng",
    "cho trẻ em có hoàn cảnh đặc biệt",
)

# Rewordings: a plan sometimes says the same thing in other words (overlap candidates).
SYNONYMS: tuple[tuple[str, str], ...] = (
    ("Tổ chức tập huấn, bồi dưỡng về", "Tổ chức đào tạo, tập huấn nâng cao năng lực về"),
    ("Tăng cường truyền thông, giáo dục về", "Đẩy mạnh tuyên truyền, phổ biến"),
    ("Xây dựng và ban hành", "Xây dựng, ban hành"),
    ("cơ sở dữ liệu về trẻ em", "hệ thống cơ sở dữ liệu trẻ em"),
    ("cho đội ngũ làm công tác trẻ em các cấp", "cho cán bộ làm công tác bảo vệ trẻ em các cấp"),
    ("tại gia đình, cộng đồng", "tại gia đình và cộng đồng"),
)

SECTION_HEADINGS: tuple[str, ...] = (
    "Hoàn thiện thể chế, chính sách về bảo vệ, chăm sóc trẻ em",
    "Tăng cường truyền thông, giáo dục, vận động xã hội về quyền trẻ em",
    "Phát triển hệ thống dịch vụ bảo vệ trẻ em",
    "Nâng cao năng lực cho đội ngũ làm công tác trẻ em các cấp",
    "Tăng cường phối hợp liên ngành và hợp tác quốc tế về trẻ em",
    "Xây dựng cơ sở dữ liệu, theo dõi, đánh giá việc thực hiện quyền trẻ em",
    "Kiểm tra, thanh tra, sơ kết, tổng kết việc thực hiện Kế hoạch",
    "Vận động nguồn lực và sự tham gia của xã hội",
)

TIMEFRAMES: tuple[str, ...] = (
    "Hằng năm",
    "Hàng năm",
    "Năm {y}",
    "Năm {y} Năm {y5}",
    "Quý IV năm {y}",
    "{y} - {y5}",
    "Thường xuyên",
)

# Indicator measures: (measure, direction); "up" targets read "đạt X%", "down" "xuống dưới X%".
MEASURES: tuple[tuple[str, str], ...] = (
    ("Tỷ lệ phường, xã, thị trấn đạt tiêu chuẩn phù hợp với trẻ em", "up"),
    (
        "Tỷ lệ trẻ em đến 8 tuổi được tiếp cận các dịch vụ hỗ trợ chăm sóc phát triển toàn diện",
        "up",
    ),
    ("Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đủ 8 loại vắc xin", "up"),
    ("tỷ lệ trẻ em có hoàn cảnh đặc biệt trên tổng số trẻ em", "down"),
    ("tỷ lệ trẻ em bị xâm hại trên tổng số trẻ em", "down"),
    ("tỷ lệ lao động trẻ em và người chưa thành niên từ 5 - 17 tuổi", "down"),
    ("Tỷ lệ huy động trẻ em 5 tuổi đi học mẫu giáo", "up"),
    ("Tỷ lệ trẻ em hoàn thành cấp tiểu học", "up"),
    ("Tỷ lệ trường học có dịch vụ hỗ trợ tâm lý trẻ em", "up"),
    ("tỷ lệ trẻ em dưới 5 tuổi bị suy dinh dưỡng thể thấp còi", "down"),
    ("Tỷ lệ trẻ em từ 6 đến dưới 16 tuổi biết bơi an toàn", "up"),
    ("Tỷ lệ trẻ em được nâng cao nhận thức, năng lực về quyền tham gia của trẻ em", "up"),
)

GOAL_TOPICS: tuple[str, ...] = (
    "Về phát triển toàn diện trẻ em, chăm sóc sức khỏe, dinh dưỡng cho trẻ em",
    "Về bảo vệ trẻ em",
    "Về giáo dục, văn hóa, vui chơi, giải trí cho trẻ em",
    "Về sự tham gia của trẻ em vào các vấn đề về trẻ em",
)

SIGNERS: tuple[str, ...] = (
    "Nguyễn Thị Hà",
    "Lê Văn Thanh",
    "Trần Minh Tuấn",
    "Phạm Thị Hải Chuyền",
    "Đặng Thị Thu Hà",
    "Dương Anh Đức",
    "Võ Văn Hoan",
    "Ngô Minh Châu",
)

PURPOSES: tuple[str, ...] = (
    "Triển khai thực hiện nghiêm túc, kịp thời, có hiệu quả các nội dung được giao, phấn đấu "
    "đạt được các mục tiêu đề ra.",
    "Tăng cường sự phối hợp giữa các cơ quan, đơn vị trong quá trình triển khai thực hiện nhằm "
    "đạt các mục tiêu, chỉ tiêu của Chương trình.",
    "Xác định cụ thể nhiệm vụ, thời gian hoàn thành và trách nhiệm của các cơ quan, đơn vị.",
)
