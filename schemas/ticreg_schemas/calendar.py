"""registry/calendar/<year>.yml: one year's official holiday arrangement.

Taken from the State Council General Office's yearly notice: the statutory
holidays (days off, weekends inside them included) and the weekend days that
are working days instead (调休). Working days are every Monday-to-Friday that
is not a holiday, plus the make-up days.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from .common import F, CalendarDate, RegistryModel, ShortText, WebAddress, WholeNumber


class Notice(RegistryModel):
    title: ShortText = F("通知标题", "国务院办公厅关于某年部分节假日安排的通知的标题。")
    issuer: ShortText = F("发文机关", "一般为国务院办公厅。")
    document_number: ShortText | None = F("文号", "通知的文号，如“国办发明电〔2025〕7号”。", default=None)
    issued_on: CalendarDate = F("发布日期", "通知的发布日期。")
    url: WebAddress = F("网址", "通知在中国政府网上的地址。")


class Holiday(RegistryModel):
    name: ShortText = F("节日", "节日名称，如“春节”。")
    first_day: CalendarDate = F("放假首日", "放假的第一天。")
    last_day: CalendarDate = F("放假末日", "放假的最后一天（含）。")


class MakeupWorkingDay(RegistryModel):
    date: CalendarDate = F("日期", "调休上班的周末日期。")
    holiday: ShortText = F("所属节日", "因哪个节日调休。")


class CalendarYear(RegistryModel):
    year: Annotated[int, Field(ge=2000, le=2100), WholeNumber] = F("年份", "本文件适用的年份，与文件名一致。")
    notice: Notice = F("依据", "国务院办公厅的节假日安排通知。")
    holidays: list[Holiday] = F("放假安排", "全部法定节假日放假时段（含其中的周末）。", min_length=1)
    makeup_working_days: list[MakeupWorkingDay] = F(
        "调休上班日", "因放假调休而上班的周末日期。", default_factory=list
    )

    @model_validator(mode="after")
    def _dates_belong_to_the_year(self) -> "CalendarYear":
        for holiday in self.holidays:
            if holiday.first_day > holiday.last_day:
                raise ValueError(f"{holiday.name}的放假首日晚于末日")
        # A holiday may start in the previous year's last days (元旦) only in
        # that year's file; here every day must fall in `year`.
        days = [d for h in self.holidays for d in (h.first_day, h.last_day)]
        days += [m.date for m in self.makeup_working_days]
        outside = sorted({d.isoformat() for d in days if d.year != self.year})
        if outside:
            raise ValueError(f"日期不在 {self.year} 年内：{'、'.join(outside)}")
        weekdays = sorted(m.date.isoformat() for m in self.makeup_working_days if m.date.weekday() < 5)
        if weekdays:
            raise ValueError(f"调休上班日应为周六或周日：{'、'.join(weekdays)}")
        return self
