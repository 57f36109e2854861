"""Blank personal data (names and phone numbers of 填表人 etc.) in text we send out.

CONTRACT: no personal data leaves the raw archive. Every raw value or county-written
text that we echo in a 问题清单, a 退回说明 or an email goes through `redact_personal`.
"""

from __future__ import annotations

import re

MASK = "***"

# Labels after which a person's name follows on a return's note lines.
_PERSON_LABELS = (
    "填表人",
    "填报人",
    "制表人",
    "审核人",
    "联系人",
    "负责人",
    "经办人",
    "统计人",
    "分管领导",
)
# Words that end a name written without a separator: "填表人：张三电话：138…".
_NAME_STOP = r"电话|手机|联系|审核|填表|填报|制表|负责|经办|统计|日期|时间|单位|签"

_DIGIT = r"[0-9０-９]"
_SEP = r"[-－—–‐ \u3000]?"

# +86 138-1234-5678 / 13812345678 / １３８１２３４５６７８
_MOBILE = re.compile(
    rf"(?<![0-9０-９])(?:(?:\+|＋)?(?:86|８６)[-－ \u3000]?)?[1１][3-9３-９]{_DIGIT}"
    rf"{_SEP}{_DIGIT}{{4}}{_SEP}{_DIGIT}{{4}}(?![0-9０-９])"
)
# 0771-1234567 / (0771)12345678 / 0771 1234567 转 801
_LANDLINE = re.compile(
    rf"(?<![0-9０-９])(?:[(（][0０]{_DIGIT}{{2,3}}[)）]\s*|[0０]{_DIGIT}{{2,3}}[-－—–‐ \u3000])"
    rf"{_DIGIT}{{7,8}}(?:\s*(?:转|-|－|ext\.?)\s*{_DIGIT}{{1,5}})?(?![0-9０-９])",
    re.IGNORECASE,
)
# A bare number after a phone label: "电话：2812345".
_LABELLED_NUMBER = re.compile(
    rf"((?:联系)?(?:电话|手机|座机|Tel|TEL|tel)\s*[：:]?\s*){_DIGIT}[0-9０-９\-－ ]{{5,}}{_DIGIT}"
)
# 18-digit resident ID numbers.
_ID_NUMBER = re.compile(rf"(?<![0-9０-９]){_DIGIT}{{17}}[0-9０-９Xx](?![0-9０-９])")
_NAME_CHARS = r"[^\s，,。；;：:、/()（）0-9０-９*]"
_NAME = (
    rf"(?!{'|'.join(_PERSON_LABELS)}|{_NAME_STOP}){_NAME_CHARS}+?"
    rf"(?=[\s，,。；;：:、/()（）0-9０-９*]|{_NAME_STOP}|$)"
)
# "填表人：张三" / "审核人 李四" / "联系人：张三、李四"
_PERSON = re.compile(
    rf"((?:{'|'.join(_PERSON_LABELS)})(?:\s*[：:]\s*|[ \u3000]+))"
    rf"({_NAME}(?:\s*[、,，/]\s*{_NAME})*)"
)


def redact_personal(text: str | None) -> str:
    """Return `text` with mobile/landline/ID numbers and the names after 填表人：etc. masked."""
    if not text:
        return "" if text is None else text
    out = _ID_NUMBER.sub(MASK, text)
    out = _MOBILE.sub(MASK, out)
    out = _LANDLINE.sub(MASK, out)
    out = _LABELLED_NUMBER.sub(lambda m: m.group(1) + MASK, out)
    return _PERSON.sub(lambda m: m.group(1) + MASK, out)
