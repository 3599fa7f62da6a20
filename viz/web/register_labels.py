"""Labels of the registers' filters, sort and downloads, in Vietnamese and English
(merged into :func:`obligraph.viz.web.i18n.labels`).

>>> VI["reg_facet_year"], EN["reg_facet_year"]
('Năm', 'Year')
>>> set(VI) == set(EN)
True
"""

from __future__ import annotations

VI = {
    "reg_filters": "Bộ lọc",
    "reg_facet_programme": "Chương trình",
    "reg_facet_document": "Văn bản",
    "reg_facet_year": "Năm",
    "reg_facet_role": "Vai trò",
    "reg_facet_level": "Cấp đơn vị",
    "reg_facet_modality": "Nghĩa vụ hay đề nghị",
    "reg_shown": "{shown} trên {total} dòng",
    "reg_all_shown": "{total} dòng",
    "reg_clear": "Bỏ mọi bộ lọc",
    "reg_remove": "bỏ lọc này",
    "reg_sort_hint": "Bấm vào tiêu đề cột để sắp xếp; bấm lần nữa để đảo chiều.",
    "reg_show_quote": "Trích dẫn",
    "reg_download": "Tải về đúng các dòng đang xem (mọi trang, theo bộ lọc và thứ tự này)",
    "reg_unassigned": "chưa giao",
    "reg_title_unit": "Sổ nghĩa vụ của đơn vị",
    "reg_title_document": "Sổ nghĩa vụ theo văn bản",
    "reg_title_programme": "Sổ nghĩa vụ theo chương trình",
    "reg_title_search": "Sổ nghĩa vụ theo từ khóa",
    "reg_open": "Mở sổ nghĩa vụ (lọc, sắp xếp, tải về)",
    "reg_open_programme": "Sổ nghĩa vụ của mọi văn bản thực hiện chương trình này",
    "reg_open_search": "Xem các nhiệm vụ tìm thấy dưới dạng sổ nghĩa vụ (lọc, sắp xếp, tải về)",
    "reg_nothing": "Không có dòng nào khớp bộ lọc.",
    "reg_years": "Năm",
}

EN = {
    "reg_filters": "Filters",
    "reg_facet_programme": "Programme",
    "reg_facet_document": "Document",
    "reg_facet_year": "Year",
    "reg_facet_role": "Role",
    "reg_facet_level": "Unit level",
    "reg_facet_modality": "Obligation or request",
    "reg_shown": "{shown} of {total} rows",
    "reg_all_shown": "{total} rows",
    "reg_clear": "Clear every filter",
    "reg_remove": "remove this filter",
    "reg_sort_hint": "Click a column heading to sort; click again to reverse.",
    "reg_show_quote": "Quote",
    "reg_download": "Download exactly the rows shown (every page, these filters and this order)",
    "reg_unassigned": "not assigned",
    "reg_title_unit": "Obligation register of the unit",
    "reg_title_document": "Obligation register of the document",
    "reg_title_programme": "Obligation register of the programme",
    "reg_title_search": "Obligation register of a search",
    "reg_open": "Open the obligation register (filter, sort, download)",
    "reg_open_programme": "Obligation register of every document implementing this programme",
    "reg_open_search": "See the tasks found as an obligation register (filter, sort, download)",
    "reg_nothing": "No row matches the filters.",
    "reg_years": "Years",
}
