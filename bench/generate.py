"""Deterministic generator of synthetic policy corpora in the style of the bundled documents.

Three kinds of document, all written like the files in ``obligraph/corpus/``:

* **national programmes** (``N/QĐ-TTg``): header, Căn cứ laws and decrees, numbered tasks,
  and an annex table assigning ministries;
* **ministry plans** (``N/QĐ-B...``) implementing a programme (title, Căn cứ and Điều 1 say
  which), body tasks and an annex with TAB-separated columns TT / content / lead / support /
  time frame, several units per cell (``;``-separated or run together as in 704/QĐ-LĐTBXH);
* **provincial prose plans** (``N/QĐ-UBND``, HCMC style) with Chỉ tiêu and 2025/2030 targets,
  prose assignments ``Sở X chủ trì triển khai: (i) ...; (ii) ...``, requests ``Đề nghị ...``,
  and a ``Thực hiện Quyết định số ...`` link to a generated ministry plan, so legal-basis chains
  run province plan -> ministry plan -> programme -> law.

Unit names come from the bundled gazetteer; task texts are recombined from phrase pools
(:mod:`bench.pools`) so the same task recurs, sometimes reworded, across plans. The same
seed and gazetteer give the same bytes. Each generated document carries what it *intends*
(:class:`IntendedDoc`): tasks with lead and support units, indicators with targets, citations;
``tests/test_bench_generate.py`` checks the loaders read exactly that.

Run it (the target folder must be outside the repository)::

    python -m bench.generate /tmp/corpus-1000 --docs 1000 --seed 7

>>> from bench.units import Unit, UnitPool
>>> pool = UnitPool.from_entries([
...     Unit("Thủ tướng Chính phủ", ("Thủ tướng Chính phủ",), "", False),
...     Unit("Bộ Y tế", ("Bộ Y tế", "Bộ YT"), "", False),
...     Unit("Bộ Tư pháp", ("Bộ Tư pháp",), "", False),
...     Unit("Cục Quản lý Khám, chữa bệnh", ("Cục Quản lý Khám, chữa bệnh",), "Bộ Y tế", False),
...     Unit("Vụ Pháp chế", ("Vụ Pháp chế", "Vụ PC"), "Bộ Y tế", False),
...     Unit("Vụ Bảo hiểm y tế", ("Vụ Bảo hiểm y tế",), "Bộ Y tế", False),
...     Unit("Ủy ban nhân dân Thành phố Hồ Chí Minh", ("UBND TP.HCM",), "", False),
...     *[Unit(f"Sở {name} Thành phố Hồ Chí Minh", (f"Sở {name}",),
...            "Ủy ban nhân dân Thành phố Hồ Chí Minh", False)
...       for name in ("Y tế", "Tư pháp", "Du lịch")],
...     Unit("Các đơn vị liên quan", ("Các đơn vị liên quan",), "", True),
... ])
>>> docs = generate(6, seed=1, pool=pool)
>>> [d.intended.kind for d in docs]
['programme', 'ministry_plan', 'ministry_plan', 'ministry_plan', 'province_plan', 'province_plan']
>>> docs == generate(6, seed=1, pool=pool)
True
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench import pools
from bench.units import Unit, UnitPool

LETTERS = ("a", "b", "c", "d", "đ", "e", "g", "h")
ROMAN = ("i", "ii", "iii", "iv", "v")
REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class IntendedTask:
    """A task as the generator wrote it: where, what, who (canonical names)."""

    key: str  # "2-a" annex group 2 row a; "nhom-1-2-ii" prose item; "goal-1-2" responsibility
    text: str
    leads: list[str]
    supports: list[str] = field(default_factory=list)
    timeframe: str = ""
    modality: str = "obligation"
    indicators: list[str] = field(default_factory=list)  # Chỉ tiêu ids a responsibility covers


@dataclass
class IntendedIndicator:
    """A Chỉ tiêu with its 2025/2030 targets and lead unit."""

    indicator_id: str
    measure: str
    targets: dict[int, float]
    lead: str


@dataclass
class IntendedDoc:
    """What one generated file says."""

    file_name: str
    kind: str  # programme | ministry_plan | province_plan
    number: str
    doc_type: str
    date: str  # ISO
    issuer: str
    title: str
    based_on: list[str] = field(default_factory=list)  # numbers (or law titles) cited as Căn cứ
    implements: list[str] = field(default_factory=list)
    tasks: list[IntendedTask] = field(default_factory=list)
    indicators: list[IntendedIndicator] = field(default_factory=list)
    deadlines: int = 0

    @property
    def units(self) -> list[str]:
        """Canonical names of every unit assigned a task, sorted."""
        names = {u for t in self.tasks for u in (*t.leads, *t.supports)}
        names.update(i.lead for i in self.indicators)
        return sorted(names)


@dataclass
class GeneratedDoc:
    """A generated file: its text and what it intends."""

    text: str
    intended: IntendedDoc


@dataclass(frozen=True)
class _Ref:
    """A document the generated plans can cite (a pool document or a generated one)."""

    doc_type: str
    number: str
    day: int
    month: int
    year: int
    issuer: str
    title: str

    def date_text(self) -> str:
        return f"ngày {self.day:02d} tháng {self.month} năm {self.year}"

    def cite(self) -> str:
        return f"{self.doc_type} số {self.number} {self.date_text()} của {self.issuer} {self.title}"


def _vi_number(value: float) -> str:
    """``4.5`` -> ``"4,5"``; ``90.0`` -> ``"90"``."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _date_line(day: int, month: int, year: int) -> str:
    return f"ngày {day:02d} tháng {month} năm {year}"


def _acronym(name: str) -> str:
    """Initials of a ministry's name after "Bộ": ``Bộ Giáo dục và Đào tạo`` -> ``GDĐT``."""
    words = [w for w in name.replace("-", " ").replace(",", " ").split()[1:] if w != "và"]
    return "".join(w[0].upper() for w in words)


class _Writer:
    """Draws everything from one :class:`random.Random`, in a fixed order."""

    def __init__(self, seed: int, pool: UnitPool, run_together: float) -> None:
        self.rng = random.Random(seed)
        self.pool = pool
        self.run_together = run_together
        self.numbers: dict[str, int] = {}
        self.programmes: list[_Ref] = [
            _Ref(p.doc_type, p.number, p.day, p.month, p.year, p.issuer, p.title)
            for p in pools.PROGRAMMES
        ]
        self.ministry_plans: list[tuple[_Ref, str]] = []  # (ref, issuing ministry)
        self.related = pool.generic("Các đơn vị liên quan") or pool.generics[0]
        self.sectors = pool.generic("Các sở, ban, ngành liên quan")

    # -- small draws -------------------------------------------------------------------
    def next_number(self, code: str, start: int) -> int:
        n = self.numbers.get(code, start) + self.rng.randint(1, 9)
        self.numbers[code] = n
        return n

    def date_after(self, ref_year: int) -> tuple[int, int, int]:
        year = min(ref_year + self.rng.randint(0, 2), 2025)
        return self.rng.randint(1, 28), self.rng.randint(1, 12), year

    def task_text(self) -> str:
        rng = self.rng
        text = f"{rng.choice(pools.VERBS)} {rng.choice(pools.OBJECTS)}"
        if rng.random() < 0.7:
            text += f" {rng.choice(pools.QUALIFIERS)}"
        if rng.random() < 0.3:
            old, new = rng.choice(pools.SYNONYMS)
            text = text.replace(old, new)
        return text

    def timeframe(self, year: int) -> str:
        pattern = self.rng.choice(pools.TIMEFRAMES)
        return pattern.format(y=year, y5=year + 5)

    def mention(self, unit: Unit, allow_alias: bool) -> str:
        if allow_alias and len(unit.mentions) > 1 and self.rng.random() < 0.25:
            return self.rng.choice(unit.mentions[1:])
        return unit.canonical

    def cell(self, units: list[Unit], run_together: bool = True) -> str:
        """Several units in one annex cell: run together (704 style) or ``;``-separated."""
        if len(units) > 1 and self.rng.random() < self.run_together and run_together:
            return " ".join(u.canonical for u in units)
        return "; ".join(self.mention(u, True) for u in units)

    def assign(
        self, candidates: list[Unit], outsiders: list[Unit], year: int, key: str
    ) -> tuple[IntendedTask, str, str]:
        """A task led by ``candidates``, supported by them, ``outsiders`` or a generic unit."""
        rng = self.rng
        n_lead = min(len(candidates), 1 if rng.random() < 0.8 else 2)
        n_support = rng.randint(0, min(3, len(candidates) - n_lead))
        chosen = rng.sample(candidates, n_lead + n_support)
        leads, supports = chosen[:n_lead], chosen[n_lead:]
        outsider = outsiders and rng.random() < 0.3
        if outsider:
            supports.append(rng.choice([u for u in outsiders if u not in supports]))
        if rng.random() < 0.3:
            supports.append(self.related)
        task = IntendedTask(
            key=key,
            text=self.task_text(),
            leads=[u.canonical for u in leads],
            supports=[u.canonical for u in supports],
            timeframe=self.timeframe(year),
        )
        # Names run together only within the issuer's own units, as in 704/QĐ-LĐTBXH: a
        # ministry after them would be ambiguous ("Trung tâm Thông tin Bộ Nội vụ").
        return task, self.cell(leads), self.cell(supports, run_together=not outsider)

    def decree(self, ministry: Unit) -> pools.CitedDoc:
        """The decree on a ministry's functions (the real one for the labour ministry)."""
        base = pools.MINISTRY_DECREE
        if ministry.canonical in base.title:
            return base
        index = self.pool.ministries.index(ministry)
        title = (
            f"quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của {ministry.canonical}"
        )
        return pools.CitedDoc(
            "Nghị định", f"{101 + index}/2022/NĐ-CP", 15, 3, 2022, "Chính phủ", title
        )

    # -- shared blocks -----------------------------------------------------------------
    def annexed_plan(
        self, groups: list[tuple[str, list[IntendedTask], list[tuple[str, str]]]], caption: str
    ) -> list[str]:
        """Body section II and the annex table for ``groups`` of (heading, tasks, cells)."""
        body = ["II. NHIỆM VỤ VÀ GIẢI PHÁP", ""]
        annex = ["PHỤ LỤC", "", caption, ""]
        annex.append("TT\tNỘI DUNG\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian thực hiện")
        for g, (heading, tasks, cells) in enumerate(groups, start=1):
            body += [f"{g}. {heading}", ""]
            annex.append(f"{g}\t{heading}\t\t\t")
            for i, (task, (lead_cell, support_cell)) in enumerate(zip(tasks, cells, strict=True)):
                end = "." if i == len(tasks) - 1 else ";"
                body += [f"{LETTERS[i]}) {task.text}{end}", ""]
                content = task.text
                if self.rng.random() < 0.05:
                    content = f"<p>{content}</p>"
                row = [LETTERS[i], content, lead_cell, support_cell, task.timeframe]
                annex.append("\t".join(row))
            annex.append("")
        return body + annex

    def groups(
        self, candidates: list[Unit], outsiders: list[Unit], year: int, n_groups: int
    ) -> list:
        rng = self.rng
        headings = rng.sample(pools.SECTION_HEADINGS, n_groups)
        groups = []
        for g, heading in enumerate(headings, start=1):
            tasks, cells = [], []
            for i in range(rng.randint(1, 4)):
                key = f"{g}-{LETTERS[i]}"
                task, lead_cell, support_cell = self.assign(candidates, outsiders, year, key)
                tasks.append(task)
                cells.append((lead_cell, support_cell))
            groups.append((heading, tasks, cells))
        return groups

    # -- document kinds ----------------------------------------------------------------
    def programme(self) -> GeneratedDoc:
        rng = self.rng
        pm = self.pool.prime_minister
        issuer = pm.canonical if pm else "Thủ tướng Chính phủ"
        number = f"{self.next_number('TTg', 2000)}/QĐ-TTg"
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2019, 2023)
        theme = rng.choice(pools.PROGRAMME_THEMES)
        title_tail = f"phê duyệt Chương trình {theme} giai đoạn {year} - 2030"
        bases = [pools.LAWS[2], pools.LAWS[0], *rng.sample(pools.LAWS[3:], 2)]
        lead_ministry = rng.choice(self.pool.ministries)
        groups = self.groups(self.pool.ministries, [], year, rng.randint(2, 4))
        lines = ["", "", "THỦ TƯỚNG CHÍNH PHỦ", "", f"Số: {number}", ""]
        lines += [f"Hà Nội, {_date_line(day, month, year)}", "", "QUYẾT ĐỊNH", ""]
        lines += [f"Phê duyệt Chương trình {theme} giai đoạn {year} - 2030", ""]
        lines += ["THỦ TƯỚNG CHÍNH PHỦ", ""]
        lines += [f"Căn cứ {b.full_text()};" for b in bases[:-1]]
        lines += [f"Căn cứ {bases[-1].full_text()};", ""]
        lines += [f"Theo đề nghị của Bộ trưởng {lead_ministry.canonical}.", "", "QUYẾT ĐỊNH:", ""]
        lines += [f"Điều 1. Phê duyệt Chương trình {theme} giai đoạn {year} - 2030 như sau:", ""]
        lines += ["I. MỤC ĐÍCH, YÊU CẦU", "", f"1. {rng.choice(pools.PURPOSES)}", ""]
        caption = f"(Kèm theo Quyết định số {number} {_date_line(day, month, year)} của {issuer})"
        plan = self.annexed_plan(groups, caption)
        split = plan.index("PHỤ LỤC")
        lines += plan[:split]
        lines += ["Điều 2. Tổ chức thực hiện", ""]
        lines += ["1. Phân công nhiệm vụ cụ thể cho các bộ, ngành (Phụ lục kèm theo).", ""]
        lines += ["Điều 3. Quyết định này có hiệu lực thi hành kể từ ngày ký.", ""]
        lines += ["Nơi nhận:", "", "- Như Điều 3;", "- Lưu: VT, KGVX.", ""]
        lines += ["KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "", rng.choice(pools.SIGNERS), "", ""]
        lines += plan[split:]
        ref = _Ref("Quyết định", number, day, month, year, issuer, title_tail)
        self.programmes.append(ref)
        intended = IntendedDoc(
            file_name=f"qd-{number.split('/')[0]}-ttg-{year}-chuong-trinh.txt",
            kind="programme",
            number=number,
            doc_type="Quyết định",
            date=f"{year}-{month:02d}-{day:02d}",
            issuer=issuer,
            title=f"Phê duyệt Chương trình {theme} giai đoạn {year} - 2030",
            based_on=[b.number or b.title for b in bases],
            tasks=[t for _, tasks, _ in groups for t in tasks],
        )
        return GeneratedDoc("\n".join(lines) + "\n", intended)

    def ministry_plan(self) -> GeneratedDoc:
        rng = self.rng
        ministry = rng.choice(self.pool.planners)
        code = _acronym(ministry.canonical)
        code = code if code == "LĐTBXH" else f"B{code}"  # 704/QĐ-LĐTBXH but 123/QĐ-BYT
        number = f"{self.next_number(code, 100)}/QĐ-{code}"
        prog = rng.choice(self.programmes)
        day, month, year = self.date_after(prog.year)
        title = (
            f"Ban hành Kế hoạch của {ministry.canonical} thực hiện {prog.doc_type} số "
            f"{prog.number} {prog.date_text()} của {prog.issuer} {prog.title}"
        )
        candidates = self.pool.children[ministry.canonical]
        others = [m for m in self.pool.ministries if m != ministry]
        groups = self.groups(candidates, others, year, rng.randint(2, 5))
        head = candidates[0].canonical
        lines = ["", "", f"Số: {number}", "", f"Hà Nội, {_date_line(day, month, year)}", ""]
        lines += [
            "QUYẾT ĐỊNH",
            "",
            f"**{title}**",
            "",
            f"BỘ TRƯỞNG {ministry.canonical.upper()}",
            "",
        ]
        decree = self.decree(ministry)
        lines += [f"Căn cứ {decree.full_text()};", ""]
        lines += [f"Căn cứ {prog.cite()};", ""]
        lines += [f"Theo đề nghị của Thủ trưởng {head}.", "", "QUYẾT ĐỊNH:", ""]
        lines += [f"Điều 1. {title} cụ thể như sau:", ""]
        lines += ["I. MỤC ĐÍCH, YÊU CẦU", ""]
        lines += [f"{i}. {p}" for i, p in enumerate(rng.sample(pools.PURPOSES, 2), start=1)]
        lines.append("")
        caption = (
            f"(Kèm theo Quyết định số {number} {_date_line(day, month, year)} "
            f"của Bộ trưởng {ministry.canonical})"
        )
        plan = self.annexed_plan(groups, caption)
        split = plan.index("PHỤ LỤC")
        lines += plan[:split]
        lines += ["III. KINH PHÍ THỰC HIỆN", ""]
        lines += ["Được bố trí trong dự toán chi ngân sách nhà nước hằng năm theo quy định.", ""]
        lines += ["IV. TỔ CHỨC THỰC HIỆN", ""]
        lines += ["1. Phân công nhiệm vụ cụ thể cho các đơn vị (Phụ lục kèm theo).", ""]
        lines += ["Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký.", ""]
        lines += [
            "Điều 3. Chánh Văn phòng Bộ, Thủ trưởng các đơn vị có liên quan chịu trách nhiệm "
            "thi hành Quyết định này./.",
            "",
        ]
        lines += ["Nơi nhận:", "", "- Như Điều 3;", "- Bộ trưởng (để báo cáo);", "- Lưu: VT.", ""]
        lines += ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "", rng.choice(pools.SIGNERS), "", ""]
        lines += plan[split:]
        ref = _Ref("Quyết định", number, day, month, year, f"Bộ trưởng {ministry.canonical}", "")
        self.ministry_plans.append((ref, ministry.canonical))
        intended = IntendedDoc(
            file_name=f"qd-{number.split('/')[0]}-{_slug(code)}-{year}-ke-hoach.txt",
            kind="ministry_plan",
            number=number,
            doc_type="Quyết định",
            date=f"{year}-{month:02d}-{day:02d}",
            issuer=ministry.canonical,
            title=title,
            based_on=[decree.number, prog.number],
            implements=[prog.number],
            tasks=[t for _, tasks, _ in groups for t in tasks],
        )
        return GeneratedDoc("\n".join(lines) + "\n", intended)

    def province_plan(self) -> GeneratedDoc:
        """A province's plan (HCMC style): a decision, Chỉ tiêu per goal, task groups."""
        rng = self.rng
        province = rng.choice(self.pool.provinces)
        place = province.canonical.removeprefix("Ủy ban nhân dân ")
        departments = self.pool.children[province.canonical]
        number = f"{self.next_number('UBND', 3000)}/QĐ-UBND"
        prog = rng.choice(self.programmes)
        ministry_plan = rng.choice(self.ministry_plans)[0] if self.ministry_plans else None
        day, month, year = self.date_after(
            max(prog.year, ministry_plan.year if ministry_plan else 0)
        )
        plan_title = f"Kế hoạch triển khai thực hiện Chương trình vì trẻ em {place} đến năm 2030"
        lines = ["", "", "**ỦY BAN NHÂN DÂN", f"{place.upper()}**", ""]
        lines += [f"Số: **{number.split('/')[0]}** /QĐ-UBND", ""]
        lines += ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", ""]
        lines += [f"{place}, {_date_line(day, month, year)}", "", "QUYẾT ĐỊNH", ""]
        lines += [f"**Về ban hành {plan_title}**", "", province.canonical.upper(), ""]
        bases = self._province_bases(lines, prog, ministry_plan)
        lead_dept = departments[0]
        lines += [f"Theo đề nghị của {lead_dept.short(place)}.", "", "QUYẾT ĐỊNH:", ""]
        lines += [f"Điều 1. Nay ban hành kèm theo Quyết định này “{plan_title}”.", ""]
        lines += ["Điều 2. Quyết định này có hiệu lực kể từ ngày ký.", ""]
        lines += ["Nơi nhận:", "", "- Như điều 3;", "- Lưu: VT.", ""]
        lines += ["TM. ỦY BAN NHÂN DÂN", "", "**KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH**", ""]
        lines += [rng.choice(pools.SIGNERS), "", "", "KẾ HOẠCH", "", plan_title, ""]
        lines += [
            f"(Ban hành kèm theo Quyết định số {number} {_date_line(day, month, year)}",
            f"của {province.canonical})",
            "",
            "I. MỤC ĐÍCH, YÊU CẦU",
            "",
            f"- {rng.choice(pools.PURPOSES)}",
            "",
            "II. MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP THỰC HIỆN:",
            "",
            f"1. Nhóm Mục tiêu, Chỉ tiêu thuộc Chương trình (theo {prog.doc_type} số "
            f"{prog.number} {prog.date_text()} của {prog.issuer}):",
            "",
        ]
        indicators, tasks = self._province_goals(lines, place, departments)
        tasks += self._province_groups(lines, province, place, departments, prog)
        lines += ["III. KINH PHÍ THỰC HIỆN", "", "1. Ngân sách nhà nước theo phân cấp.", ""]
        lines += ["IV. CHẾ ĐỘ BÁO CÁO", ""]
        lines += [
            f"- Định kỳ 6 tháng (trước ngày 10 tháng 6) và hàng năm (trước ngày 10 tháng 11) "
            f"báo cáo tình hình triển khai Kế hoạch về {lead_dept.short(place)} để tổng hợp, báo "
            f"cáo {province.canonical}.",
            "",
        ]
        intended = IntendedDoc(
            file_name=f"qd-{number.split('/')[0]}-ubnd-{_slug(place)}-{year}-ke-hoach.txt",
            kind="province_plan",
            number=number,
            doc_type="Quyết định",
            date=f"{year}-{month:02d}-{day:02d}",
            issuer=province.canonical,
            title=f"Về ban hành {plan_title}",
            based_on=bases,
            implements=[prog.number],
            tasks=tasks,
            indicators=indicators,
            deadlines=2,
        )
        return GeneratedDoc("\n".join(lines) + "\n", intended)

    def _province_bases(self, lines: list[str], prog, ministry_plan) -> list[str]:
        """The Căn cứ lines (two laws, the programme, the ministry's plan) appended to ``lines``."""
        bases: list[str] = []
        for law in (pools.LAWS[1], pools.LAWS[0]):
            lines += [f"Căn cứ {law.full_text()};", ""]
            bases.append(law.title)
        lines += [f"Căn cứ {prog.cite()};", ""]
        bases.append(prog.number)
        if ministry_plan is not None:
            ref = ministry_plan
            lines += [
                f"Thực hiện Quyết định số {ref.number} {ref.date_text()} của {ref.issuer} "
                "về ban hành Kế hoạch thực hiện Chương trình;",
                "",
            ]
            bases.append(ref.number)
        return bases

    def _province_goals(
        self, lines: list[str], place: str, departments: list
    ) -> tuple[list[IntendedIndicator], list[IntendedTask]]:
        """Goals with their Chỉ tiêu and the units answering for them, appended to ``lines``."""
        rng = self.rng
        indicators, tasks = [], []
        measures = rng.sample(pools.MEASURES, rng.randint(3, 8))
        goals = rng.sample(pools.GOAL_TOPICS, min(len(pools.GOAL_TOPICS), (len(measures) + 2) // 3))
        next_id = 1
        for g, topic in enumerate(goals, start=1):
            share = measures[(g - 1) * 3 : g * 3]
            if not share:
                break
            lines += [f"1.{g}. Mục tiêu {g}. {topic}:", "", "a) Chỉ tiêu:", ""]
            owners: dict[str, list[str]] = {}
            short = {d.canonical: d.short(place) for d in departments}
            for measure, direction in share:
                ind_id = str(next_id)
                next_id += 1
                targets, sentence = self._targets(measure, direction)
                lines += [f"- Chỉ tiêu {ind_id}: {sentence}", ""]
                owner = rng.choice(departments)
                owners.setdefault(owner.canonical, []).append(ind_id)
                indicators.append(IntendedIndicator(ind_id, measure, targets, owner.canonical))
            lines += ["b) Trách nhiệm thực hiện:", ""]
            for k, (owner_name, ids) in enumerate(owners.items(), start=1):
                listed = " và ".join(
                    [", ".join(f"Chỉ tiêu {i}" for i in ids[:-1]), f"Chỉ tiêu {ids[-1]}"]
                    if len(ids) > 1
                    else [f"Chỉ tiêu {ids[0]}"]
                )
                helpers = f", phối hợp {self.sectors.canonical.lower()}" if self.sectors else ""
                text = (
                    f"{short[owner_name]} chủ trì{helpers} thực hiện, báo cáo kết quả {listed} "
                    f"Mục tiêu {g}."
                )
                lines += [f"- {text}", ""]
                supports = [self.sectors.canonical] if self.sectors else []
                tasks.append(
                    IntendedTask(f"goal-{g}-{k}", text, [owner_name], supports, indicators=ids)
                )
        return indicators, tasks

    def _province_groups(
        self, lines: list[str], province, place: str, departments: list, prog
    ) -> list[IntendedTask]:
        """Task groups under the programme (obligations, and requests to bodies outside)."""
        rng = self.rng
        tasks = []
        lines += ["2. Nhóm các nhiệm vụ thuộc Chương trình, Kế hoạch vì trẻ em:", ""]
        for n in range(1, rng.randint(1, 3) + 1):
            theme = rng.choice(pools.PROGRAMME_THEMES)
            lines += [
                f"2.{n}. Nhóm {n}. {theme[0].upper()}{theme[1:]} (*theo {prog.doc_type} số "
                f"{prog.number} {prog.date_text()} của {prog.issuer}*):",
                "",
                "Nhiệm vụ và giải pháp chủ yếu:",
                "",
            ]
            bodies = rng.sample(departments, min(len(departments), 3))
            outside = self.pool.outside.get(province.canonical, [])
            if outside and rng.random() < 0.4:
                bodies.append(rng.choice(outside))
            for k, body in enumerate(bodies, start=1):
                items = [self.task_text() for _ in range(rng.randint(2, 3))]
                parts = "; ".join(f"({ROMAN[i]}) {t}" for i, t in enumerate(items))
                request = body in outside
                if request:
                    lines += [f"- Đề nghị {body.short(place)} phối hợp thực hiện: {parts}.", ""]
                else:
                    lines += [f"- {body.short(place)} chủ trì triển khai: {parts}.", ""]
                modality = "request" if request else "obligation"
                for i, text in enumerate(items):
                    key = f"nhom-{n}-{k}-{ROMAN[i]}"
                    tasks.append(IntendedTask(key, text, [body.canonical], [], "", modality))
        return tasks

    def _targets(self, measure: str, direction: str) -> tuple[dict[int, float], str]:
        rng = self.rng
        if direction == "up":
            v25 = float(rng.randint(60, 95))
            v30 = min(100.0, v25 + rng.randint(2, 8))
            text = (
                f"{measure} đạt {_vi_number(v25)}% vào năm 2025 và đạt "
                f"{_vi_number(v30)}% vào năm 2030."
            )
        else:
            v25 = rng.randint(20, 99) / 10
            v30 = round(max(0.5, v25 - rng.randint(3, 15) / 10), 1)
            text = (
                f"Giảm {measure} xuống dưới {_vi_number(v25)}% vào năm 2025 và dưới "
                f"{_vi_number(v30)}% vào năm 2030."
            )
        return {2025: v25, 2030: v30}, text


def _slug(text: str) -> str:
    from obligraph.base.textkeys import slug

    return slug(text)


def generate(
    n_docs: int, seed: int = 0, *, pool: UnitPool | None = None, run_together: float = 0.3
) -> list[GeneratedDoc]:
    """Generate ``n_docs`` documents: about 4% programmes, 25% provincial plans, the rest
    ministry plans; programmes first so plans can implement them."""
    if n_docs < 1:
        raise ValueError("n_docs must be at least 1")
    writer = _Writer(seed, pool if pool is not None else UnitPool.from_gazetteer(), run_together)
    n_prog = max(1, round(n_docs * 0.04)) if n_docs >= 5 else 0
    n_prov = max(1, round(n_docs * 0.25)) if n_docs >= 2 else 0
    n_min = n_docs - n_prog - n_prov
    docs = [writer.programme() for _ in range(n_prog)]
    docs += [writer.ministry_plan() for _ in range(n_min)]
    docs += [writer.province_plan() for _ in range(n_prov)]
    return docs


def write_corpus(
    out_dir: Path, n_docs: int, seed: int = 0, *, pool: UnitPool | None = None
) -> list[IntendedDoc]:
    """Write ``n_docs`` generated ``.txt`` files into ``out_dir`` (created; outside the repo)."""
    out_dir = Path(out_dir).resolve()
    if out_dir == REPO_ROOT or REPO_ROOT in out_dir.parents:
        raise ValueError(f"{out_dir}: refusing to write a synthetic corpus inside the repository")
    out_dir.mkdir(parents=True, exist_ok=True)
    intended = []
    for doc in generate(n_docs, seed, pool=pool):
        (out_dir / doc.intended.file_name).write_text(doc.text, encoding="utf-8", newline="\n")
        intended.append(doc.intended)
    return intended


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m bench.generate OUT --docs N --seed S [--manifest FILE]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="target folder (outside the repository)")
    parser.add_argument("--docs", type=int, default=100, help="number of documents (default 100)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--manifest", type=Path, help="also write what each file intends (JSON)")
    args = parser.parse_args(argv)
    try:
        intended = write_corpus(args.out, args.docs, args.seed)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.manifest:
        data = [asdict(d) for d in intended]
        args.manifest.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tasks = sum(len(d.tasks) for d in intended)
    print(f"wrote {len(intended)} documents ({tasks} tasks) to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
