"""Number facts from the creator's records: the proof ledger.

For every number-bearing claim in a chunk (``ipwriter.text.numbers`` finds and
normalises them) record the value and unit, the subject words around it
(涨粉, 复购率, 在线峰值 …), the quote it came from, and three ledger fields:

- ``owner``, whose number it is, decided from the sentence's subject, never
  from the file's topic: ``creator`` (the notes are the creator's own 复盘: a
  result with no one else as its subject), ``student`` (the sentence opens with
  a student or customer — 她的小红书…, 学员小林… — or one clause names them
  before a result word; a client as an object, 服务了23位客户, is not enough;
  "我的学员" is still the student), ``platform`` (平台数据, 行业报告, 据…统计),
  ``offer`` (a price, or a count of what the product delivers: 8节直播课, 3次
  批改) and ``unknown`` (someone else and 我 are both the subject: 我和学员一起
  卖了42单). Inside a section marked as consented proof, a result sentence with
  no subject of its own (第一个月接了10单) is the student's the section is about.
- ``consent``: the section carries a consent marker (已获本人授权, 可作为他证,
  他证使用, 授权使用 in its text or heading) and no refusal (未获授权, 不公开).
- ``kind``, for writing and search: 价格 (a 元 amount said as a price), 时间
  (a duration), 他证 (a student's or third party's result; only with consent
  may it stand as third-party proof), 自证 (the creator's result), 其他 (offer
  counts, platform statistics, unknown subjects, numbers with no unit).

The creator may correct kind, owner and consent of any fact (the app's
知识库 page, ``ipwriter correct-fact``); corrections are stored by note, quote
and number, and re-applied on every re-ingest (``knowledge.ledger``).
"""

from __future__ import annotations

import re

from ipwriter.knowledge.models import Chunk, Fact
from ipwriter.profile import CreatorProfile
from ipwriter.text.numbers import find_numbers
from ipwriter.text.split import clause_bounds, clauses, sentences
from ipwriter.text.units import MONEY_UNITS, TIME_UNITS

_PRICE_WORDS = re.compile(r"(价|定价|售价|原价|报价|学费|一份|每份|一单|每单|客单|收费|门槛|付费|卖|课程|套餐|营|班)")
_REVENUE_WORDS = re.compile(r"(收入|营收|实收|GMV|成交额|销售额|流水|变现|赚|利润|总计|合计|一共)")
#: Who is someone other than the creator (the checks' scope uses the same words).
THIRD_PARTY_NOUNS = "学员|学生|同学|客户|来访者"
#: What a student's or client's own result sounds like (他证 needs one, or consent).
THIRD_PARTY_RESULTS = ("涨粉|收入|赚|接了|签了|签下|成交|做到|卖出|卖了|招了|变现|拿到|转成|加到|涨到|提升|提高|"
                       "月入|回本|客单价|粉")
_THIRD_PARTY = re.compile(rf"({THIRD_PARTY_NOUNS}|用户反馈|他证)")
_THIRD_PARTY_OPENING = re.compile(rf"[\s\-*>#·•\d.、]*(?:[她他](?![们])|{THIRD_PARTY_NOUNS}|老学员)")
_CONSENT = re.compile(r"(已获[^，。]{0,6}授权|已经?授权|可作为他证|他证使用|授权使用|同意公开|同意使用)")
_NO_CONSENT = re.compile(r"((?:未|没有|没|尚未|未经|不能|不可)[^，。]{0,4}授权|不公开|不同意)")
_THIRD_PARTY_RESULT = re.compile(f"({THIRD_PARTY_RESULTS})")
# numbers with no unit that are still results: 涨粉8600, 点赞1.2w, GMV 85957
_RESULT_WORDS = re.compile(r"(涨粉|粉丝|点赞|收藏|评论|播放|阅读|曝光|浏览|观看|私信|咨询|转化|成交|GMV|"
                           r"营收|收入|取关|掉粉|访客|在线)")
# 我 as the subject; "我的学员", "我带的学员" name the student, not the creator
_SELF_WORDS = re.compile(rf"(^|[，。；\s])(我|我们|我的|自己)(?!(?:的|带的|们的)?(?:{THIRD_PARTY_NOUNS}|老学员))")
_RESULT_UNITS = {"粉", "人", "人次", "单", "份", "笔", "%", "次", "条", "篇", "个", "倍"}  # canonical units
# what a product delivers, counted: 8节直播课, 3次作业批改, 12个模块, 2次一对一会议
_DELIVERY = re.compile(r"(课|节课|批改|答疑|模块|交付|陪跑|模板|手册|会议|点评|辅导|带练|课时|讲义|赠送|包含|打卡)")
_COUNT_OF_OTHERS = re.compile(rf"[^，。；]{{0,6}}?(?:{THIRD_PARTY_NOUNS}|老学员)")
_SAMPLE = re.compile(r"的?(?:真实)?(?:数据|案例|故事|反馈|成果|截图|样本)")
_OTHERS_BEFORE = re.compile(rf"(?:{THIRD_PARTY_NOUNS})(?:里|中|当中)?(?:有|共有|一共)$")
_DELIVERY_BEFORE = re.compile(r"(批改|答疑|直播|会议|点评|辅导|带练)$")
_OFFER_UNITS = {"节", "堂", "讲", "次", "个", "份", "套", "期", "场", "页"}
_PLATFORM = re.compile(r"(平台(?:官方)?(?:数据|统计|报告|公布)|官方数据|行业(?:报告|数据)|第三方数据|"
                       r"据[^，。]{1,12}(?:统计|报告|调研|数据)|(?:报告|调研|研究)(?:显示|表明))")
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


def consent_in(text: str) -> bool:
    """A consent marker and no refusal in a section's text or headings."""
    return bool(_CONSENT.search(text)) and not _NO_CONSENT.search(text)


def _is_result(unit: str | None, before: str) -> bool:
    return unit in MONEY_UNITS or unit in _RESULT_UNITS or unit is None and bool(
        _REVENUE_WORDS.search(before) or _RESULT_WORDS.search(before))


def classify_fact(unit: str | None, sentence: str, before: str, consented: bool = False,
                  after: str = "") -> tuple[str, str, bool]:
    """(kind, owner, consent) of a number in ``sentence``; ``before`` and ``after``
    are its clause around it; ``consented``: the section carries a consent marker."""
    if unit == "人" and (m := _COUNT_OF_OTHERS.match(after)):  # 23位客户, 首期学员126人: a count of them
        # …学员的真实数据 / 案例: how many examples a note shows, not a result of anyone's
        return ("其他" if _SAMPLE.match(after, m.end()) else "自证"), "creator", False
    if unit == "人" and _OTHERS_BEFORE.search(before):  # 我的学员里有5个人月入过万: a count of them
        return "自证", "creator", False
    # the number's own clause decides when it names one side only (她…接了10单，我…接了12单)
    mine = bool(_SELF_WORDS.search(before))
    theirs = bool(_THIRD_PARTY_OPENING.match(before) or _THIRD_PARTY.search(before))
    if mine != theirs:
        self_said, third = mine, theirs and bool(_THIRD_PARTY_RESULT.search(before + after))
    else:
        self_said, third = bool(_SELF_WORDS.search(sentence)), _third_party_result(sentence)
    # someone else's sentence: said of them, or a subjectless result in a consented section
    other = not self_said and (third or consented and _is_result(unit, before))
    owner = "student" if other else "unknown" if third and self_said else "creator"
    if unit in MONEY_UNITS and _PRICE_WORDS.search(before + after_word(sentence, before)) \
            and not _REVENUE_WORDS.search(before):
        return "价格", ("student" if other else "offer"), consented and other
    if unit in TIME_UNITS:
        return "时间", owner, consented and other
    if _PLATFORM.search(sentence):
        return "其他", "platform", False
    if unit in _OFFER_UNITS and not _RESULT_WORDS.search(before) and (
            _DELIVERY.match(after.lstrip("录播直播作业一对的")) or _DELIVERY_BEFORE.search(before)):
        return "其他", "offer", False
    if not _is_result(unit, before):
        return "其他", owner if unit is not None else "unknown", False
    if owner == "student":
        return "他证", "student", consented
    if owner == "unknown":
        return "其他", "unknown", False
    return "自证", "creator", False


def classify(unit: str | None, sentence: str, before: str, consented: bool = False) -> str:
    """The fact's kind alone (see :func:`classify_fact`)."""
    return classify_fact(unit, sentence, before, consented)[0]


def extract_facts(chunk: Chunk) -> list[Fact]:
    """Facts of one chunk; the first chunk of a note also carries its title's
    numbers (a note's title usually states its headline result)."""
    facts: list[Fact] = []
    consented = consent_in(" ".join([*chunk.headings, chunk.text]))
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
            kind, owner, consent = classify_fact(span.unit, sentence, before, consented, after)
            facts.append(Fact(
                text=span.text, value=span.value, high=span.high, unit=span.unit,
                subject=_subject(before, after), kind=kind,  # type: ignore[arg-type]
                owner=owner, consent=consent,  # type: ignore[arg-type]
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
        # the ladder is the offer: its numbers back the copy, never as anyone's proof
        out.extend(f.model_copy(update={"owner": "offer", "consent": False,
                                        "kind": f.kind if f.kind in ("价格", "时间") else "其他"})
                   for f in extract_facts(chunk))
    return out
