"""Number facts from the creator's records.

For every number-bearing claim in a chunk (``ipwriter.text.numbers`` finds and
normalises them) record the value and unit, the subject words around it
(涨粉, 复购率, 在线峰值 …), a kind and the quote it came from.

Kinds, decided in this order (a heuristic, tested on the demo notes):

- 价格: a 元/块 amount said as a price (价, 定价, 一份, 学费 …), not a revenue;
- 时间: a duration (天, 周, 个月, 年, 小时, 分钟 …);
- 他证: a student's or client's own result — the sentence opens with them
  (她的小红书…, 学员…) or a clause names them before a result word such as 涨粉,
  收入, 签了 (a heading that mentions 学员 is not enough, nor a client as an
  object: 服务了23位客户，成交27单) — or anything in a section marked 授权/他证
  (consented third-party proof); "首期学员126人" counts the creator's students,
  so it is 自证;
- 自证: any other result in the creator's own records;
- 其他: numbers with no unit and no result words around them.
"""

from __future__ import annotations

import re

from ipwriter.knowledge.models import Chunk, Fact
from ipwriter.profile import CreatorProfile
from ipwriter.text.numbers import find_numbers
from ipwriter.text.split import clause_bounds, clauses, sentences
from ipwriter.text.units import MONEY_UNITS, TIME_UNITS

_PRICE_WORDS = re.compile(r"(价|定价|售价|原价|报价|学费|一份|每份|一单|客单|收费|门槛|付费|卖|课程|套餐)")
_REVENUE_WORDS = re.compile(r"(收入|营收|实收|GMV|成交额|销售额|流水|变现|赚|利润|总计|合计|一共)")
#: Who is someone other than the creator (the checks' scope uses the same words).
THIRD_PARTY_NOUNS = "学员|学生|同学|客户|来访者"
#: What a student's or client's own result sounds like (他证 needs one, or consent).
THIRD_PARTY_RESULTS = ("涨粉|收入|赚|接了|签了|签下|成交|做到|卖出|卖了|招了|变现|拿到|转成|加到|涨到|提升|提高|"
                       "月入|回本|客单价|粉")
_THIRD_PARTY = re.compile(rf"({THIRD_PARTY_NOUNS}|用户反馈|他证)")
_THIRD_PARTY_OPENING = re.compile(rf"[\s\-*>#·•\d.、]*(?:[她他](?![们])|{THIRD_PARTY_NOUNS}|老学员)")
_CONSENT = re.compile(r"(已获[^，。]{0,6}授权|可作为他证|他证使用)")
_THIRD_PARTY_RESULT = re.compile(f"({THIRD_PARTY_RESULTS})")
# numbers with no unit that are still results: 涨粉8600, 点赞1.2w, GMV 85957
_RESULT_WORDS = re.compile(r"(涨粉|粉丝|点赞|收藏|评论|播放|阅读|曝光|浏览|观看|私信|咨询|转化|成交|GMV|"
                           r"营收|收入|取关|掉粉|访客|在线)")
_SELF_WORDS = re.compile(r"(^|[，。；\s])(我|我们|我的|自己)")
_RESULT_UNITS = {"粉", "人", "人次", "单", "份", "笔", "%", "次", "条", "篇", "个"}  # canonical units
_TRIM = re.compile(r"^[\s\-*>#·•\d.、]+|[\s，,。；;：:]+$")


def _clause_around(sentence: str, start: int, end: int) -> tuple[str, str]:
    """(text before the number within its clause, text after it)."""
    s, e = clause_bounds(sentence, start, end)
    return sentence[s:start], sentence[end:e]


def _subject(before: str, after: str) -> str:
    before = _TRIM.sub("", before)
    # the words right before a number name it: 在线峰值612人 → 在线峰值
    before = re.sub(r"(是|为|有|达到|达|共|约|近|超过|不到|至少|高达|了|到|从)+$", "", before)
    subject = before[-12:]
    if len(subject) < 2:
        subject = _TRIM.sub("", after)[:12] or subject
    return subject


def after_word(sentence: str, before: str) -> str:
    """The few characters after the number's clause start, e.g. 399元一份 → 一份."""
    i = sentence.find(before) + len(before) if before else 0
    tail = sentence[i:i + 16]
    return tail


def _third_party_result(sentence: str) -> bool:
    """Does the sentence tell a student's or client's own result? Its subject must
    be them: the sentence opens with them (她的小红书…做到3800粉), or one clause names
    them before a result word (学员小林3个月涨粉2万). A heading about 学员, or a
    client as an object (服务了23位客户，成交27单), is not enough."""
    if _THIRD_PARTY_OPENING.match(sentence) and _THIRD_PARTY_RESULT.search(sentence):
        return True
    return any((m := _THIRD_PARTY.search(c)) and _THIRD_PARTY_RESULT.search(c, m.end())
               for c in clauses(sentence))


def classify(unit: str | None, sentence: str, before: str, consented: bool = False) -> str:
    if unit in MONEY_UNITS and _PRICE_WORDS.search(before + after_word(sentence, before)) \
            and not _REVENUE_WORDS.search(before):
        return "价格"
    if unit in TIME_UNITS:
        return "时间"
    if (consented or _third_party_result(sentence)) and not _SELF_WORDS.search(sentence):
        return "他证"
    if unit in MONEY_UNITS or unit in _RESULT_UNITS or unit is None and (
            _REVENUE_WORDS.search(before) or _RESULT_WORDS.search(before)):
        return "自证"
    if unit is None:
        return "其他"
    return "自证"


def extract_facts(chunk: Chunk) -> list[Fact]:
    """Facts of one chunk; the first chunk of a note also carries its title's
    numbers (a note's title usually states its headline result)."""
    facts: list[Fact] = []
    consented = bool(_CONSENT.search(chunk.text))
    pieces = sentences(chunk.text)
    if chunk.ord == 0 and chunk.title and chunk.title not in chunk.text:
        pieces = [chunk.title, *pieces]
    for sentence in pieces:
        spans = find_numbers(sentence)
        if not spans:
            continue
        quote = sentence.strip()
        if len(quote) > 160:
            quote = quote[:160] + "…"
        for span in spans:
            before, after = _clause_around(sentence, span.start, span.end)
            facts.append(Fact(
                text=span.text, value=span.value, high=span.high, unit=span.unit,
                subject=_subject(before, after),
                kind=classify(span.unit, sentence, before,  # type: ignore[arg-type]
                              consented),
                source=chunk.source, quote=quote, chunk_id=chunk.id,
                approx=span.approx, plus=span.plus, title=chunk.title,
            ))
    return facts


PROFILE_SOURCE = "profile.yaml"


def profile_facts(profile: CreatorProfile) -> list[Fact]:
    """Numbers the creator declared in profile.yaml (prices, delivery) count as
    records: "定价1999元" in a draft is backed by the product ladder."""
    out: list[Fact] = []
    for i, prod in enumerate(profile.products):
        text = (f"{prod.tier}「{prod.name}」定价{prod.price_text}元。承诺：{prod.promise}。"
                f"交付：{prod.delivery}。")
        chunk = Chunk(id=f"profile-{i}", source=PROFILE_SOURCE, ord=i, title="创作者档案",
                      headings=[prod.name], text=text)
        out.extend(extract_facts(chunk))
    return out
