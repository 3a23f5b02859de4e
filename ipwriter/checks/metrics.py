"""What a number is about: its metric and its scope, for grounding.

**Metric groups** (涨粉, 在线, 完播, 留存, 点赞, 收藏, 复购, 收入 …) say what a
number measures. A word may sit in two groups (卖了 is orders and revenue); the
longest word wins where two overlap. Followers come in two kinds that are never
the same number: a *total* ("2.3万粉", "粉丝从2700涨到11300") and a *gain*
("涨粉8600", "新增关注6300", "带来了4700粉"). "N粉" is a total unless a gain verb,
a sum or a single post stands before it in its clause (带来 / 贡献了 / 涨了 /
一共 / 单条 …); alone in its clause (a list of key numbers) it may be either.
An amount of money backs no number about views, likes or followers.

**Scope** says whose result and where:

- *owner*: the person named last before the number in its clause decides
  (我 → the creator; 学员/客户/她/他 with a result word → someone else; a bare
  name such as 小林 may be the creator's nickname, so it decides nothing). With
  no one in the clause, only a plain sentence decides: 我 and no one else, or
  someone else first and no 我 at all. 我 as an object (问我, 给我, 按我教的) and a
  count (23位客户) are no subject. A student's result (他证) cannot back a claim
  that is the creator's, nor the creator's (自证) one that is a student's;
- *account*: the platform named in the number's clause (after a colon, if
  any), else one named before it in the sentence as its subject (我的小红书,
  抖音号, 在小红书发了…: "我的小红书发了38条，只有2700粉"); for a fact, else
  the one its note's title names ("抖音口播号改开头3秒…");
- *cohort*: the 第N期 nearest the number in its sentence (before it if any).

Two scopes conflict only when both sides name the part that differs; an
unnamed part never conflicts (most sentences name nothing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ipwriter.knowledge.facts import THIRD_PARTY_NOUNS, THIRD_PARTY_RESULTS
from ipwriter.knowledge.models import Fact
from ipwriter.text.split import Marks, clause_bounds, sentence_bounds

# Metric groups: what a number measures. Longest words are tried first.
METRICS: dict[str, tuple[str, ...]] = {
    "fans_gain": ("涨粉", "新增粉丝", "新粉", "吸粉", "新增关注", "起号", "关注"),
    "fans_total": ("粉丝数", "粉丝量", "粉丝", "粉", "关注"),
    "fans_loss": ("掉粉", "取关", "脱粉", "流失"),
    "online": ("在线峰值", "同时在线", "在线", "峰值"),
    "views": ("观看", "场观", "人次", "播放", "阅读", "曝光", "浏览", "访客"),
    "likes": ("点赞", "获赞"),
    "saves": ("收藏",),
    "comments": ("评论", "留言"),
    "shares": ("转发", "分享"),
    "completion": ("完播",),
    "retention": ("留存", "划走", "停留"),
    "conversion": ("转化", "→", "->"),
    "repurchase": ("复购", "复训", "续费", "回购"),
    "orders": ("成交", "下单", "订单", "报名", "卖出", "卖了", "购买", "买了", "买的", "签了", "接了"),
    "revenue": ("GMV", "gmv", "营收", "收入", "销售额", "成交额", "流水", "变现", "赚", "卖了",
                "营业额", "设计费", "实收"),
    "price": ("定价", "售价", "原价", "零售价", "学费", "客单价", "价格", "报价", "收费", "复训价"),
    "students": ("学员", "学生", "开营", "同学"),
    "consult": ("私信", "咨询", "私聊", "客资"),
    "friends": ("加微信", "微信好友", "好友"),
    "income_promise": ("回本", "年入", "月入", "收益", "回报", "躺赚"),
    "refund": ("退款", "退了"),
    "activity": ("活跃", "发言", "打卡"),
    "cost": ("投流", "成本", "助教费", "外包", "剪辑费"),
}
#: What an amount of money (元) can be about: a number about views or followers is never one.
MONEY_GROUPS = frozenset({"revenue", "price", "income_promise", "refund", "cost"})
_METRIC_RE = re.compile("|".join(sorted({re.escape(w) for ws in METRICS.values() for w in ws},
                                        key=len, reverse=True)))
_WORD_GROUPS: dict[str, set[str]] = {}
for _group, _words in METRICS.items():
    for _w in _words:
        _WORD_GROUPS.setdefault(_w, set()).add(_group)

# before "N粉" in its clause, what makes it a gain: a gain verb (带来了4700粉, 两篇贡献了
# 6900粉, 涨了500粉), a sum or a single post's count (一共6900粉, 单条视频3100粉)
_GAIN_BEFORE = re.compile(r"(?:涨了|新增了?|增加了?|增长了?|多了|带来了?|贡献了?|吸了|吸引了?|拉新|"
                          r"一共|合计|加起来|单条|单篇|每条|每篇|这条|那条|这篇|那篇)[^，。；！？\n]{0,4}$")


_HAN = re.compile(r"[\u4e00-\u9fff]")


def metric_groups(text: str) -> frozenset[str]:
    out: set[str] = set()
    for m in _METRIC_RE.finditer(text):
        out |= _WORD_GROUPS[m.group()]
    return frozenset(out)


def claim_groups(text: str, start: int, end: int) -> frozenset[str]:
    """The metric groups of the number at text[start:end]: its clause and its
    own unit (2.3万粉, 10万+阅读); "N粉" after a gain verb, a sum or a single
    post is a gain, otherwise a total."""
    return _groups_in(text, *clause_bounds(text, start, end), start, end)


def _groups_in(text: str, s: int, e: int, start: int, end: int) -> frozenset[str]:
    """claim_groups, the clause text[s:e] found."""
    before, after = text[s:start], text[end:e]
    groups = metric_groups(before + " " + after + " " + text[start:end])
    if "fans_total" in groups and "fans_gain" not in groups:
        if _GAIN_BEFORE.search(before):
            groups = (groups - {"fans_total"}) | {"fans_gain"}
        elif not _HAN.search(before + after):
            groups = groups | {"fans_gain"}  # "**6900粉**" listed alone: either
    return groups


# ---------------------------------------------------------------- scope

_ACCOUNTS = {"小红书": "xiaohongshu", "抖音": "douyin", "公众号": "wechat", "视频号": "channels",
             "朋友圈": "moments", "快手": "kuaishou", "b站": "bilibili", "B站": "bilibili"}
# an account named as such, not inside a product name (7天小红书起号营)
_ACCOUNT_RE = re.compile("(?:" + "|".join(map(re.escape, _ACCOUNTS)) + ")(?!起号)")
# an account named as the subject of what follows: 我的小红书, 老陈的抖音, 抖音号, 小红书账号,
# 在小红书发了一篇… (not 我在朋友圈说过: a place something was said)
_ACCOUNT_ALT = "(?:" + "|".join(map(re.escape, _ACCOUNTS)) + ")"
_OWNED_ACCOUNT_RE = re.compile(rf"(?<=的){_ACCOUNT_ALT}(?!起号)|{_ACCOUNT_ALT}(?=账?号)"
                               rf"|(?<=在){_ACCOUNT_ALT}(?=上?发)")
_COHORT_RE = re.compile(r"第\s*(\d+|[一二三四五六七八九十]+)\s*期")
_CN_SMALL = {c: i for i, c in enumerate("零一二三四五六七八九十")}
# who a sentence talks about: 我 / 本人 (the creator; not 我 as an object or in a
# modifier: 给我, 问我, 按我教的), or a student, a client, a third person (我的学员 is a
# student; 其他, 他们, 她们 are no one in particular; 23位客户 is a count, not a subject)
_ME_OBJECT = "给问找跟帮让叫诉和对向教陪带按照用像比听请约加"
_PERSON = re.compile(rf"我的(?:{THIRD_PARTY_NOUNS})|{THIRD_PARTY_NOUNS}|(?<![其吉])[他她](?![们人证])"
                     rf"|(?P<me>(?<![{_ME_OBJECT}])我(?!们)|本人)|(?P<object>我)")
_COUNTED = re.compile(r"[\d一二两三四五六七八九十百千万]\s*[位个名]$")
# a name: 小周, 老陈, 阿杰 (小/老/阿 + one character, not a common word), or Amy;
# the profile's name (self_names) is the creator
_NAME = re.compile(r"[小老阿][\u4e00-\u9fffA-Z]|(?<![A-Za-z])[A-Z][a-z]{1,12}(?![A-Za-z])")
_NOT_NAMES = frozenset("小组 小时 小事 小课 小号 小白 小众 小红 小账 小范 小程 小技 小插 小伙 小孩 小朋 小店 小会 "
                       "小班 小结 小步 小半 小意 小卡 小目 小心 小说 小区 小时候 老师 老板 老客 老学 老粉 老规 老铁 "
                       "老公 老婆 老家 老实 老是 老友 老人 老手 老带 老样 阿姨".split())
# what a result sounds like (someone else's result needs one to be claimed): the
# extractor's words for a student's result, and the metrics a live stream or a post has
_RESULT = re.compile(f"{THIRD_PARTY_RESULTS}|在线|峰值|播放|点赞|收藏|阅读|复购|报名")


@dataclass(frozen=True, slots=True)
class Scope:
    owner: str | None = None  # "self" | "other" | None (not said)
    account: frozenset[str] = frozenset()
    cohort: frozenset[int] = frozenset()


def _cohort(text: str, start: int, end: int) -> frozenset[int]:
    """The 第N期 nearest the number at text[start:end] (before it if any, else after)."""
    best: tuple[int, int] | None = None
    for m in _COHORT_RE.finditer(text):
        n = m.group(1)
        value = int(n) if n.isdigit() else 10 if n == "十" else _CN_SMALL.get(n) if len(n) == 1 else None
        if value is None:
            continue
        distance = start - m.end() if m.end() <= start else 1000 + m.start() - end
        if best is None or distance < best[0]:
            best = (distance, value)
    return frozenset({best[1]}) if best else frozenset()


def _people(sentence: str, end: int, self_names: tuple[str, ...]) -> list[tuple[str, int]]:
    """("self" | "other" | "name" | "object", where) for every person named in
    sentence[:end]. A name (小周, Amy) is not 我, but it may be the creator's own
    nickname, so it only stops a sentence from counting as plainly mine."""
    out = []
    others_end = set()  # where 学员, 客户 … end: 学员小周 names the student once
    for m in _PERSON.finditer(sentence, 0, end):
        if m.group("object"):
            out.append(("object", m.start()))
        elif m.group("me"):
            out.append(("self", m.start()))
        else:
            others_end.add(m.end())
            if not _COUNTED.search(sentence, 0, m.start()):
                out.append(("other", m.start()))
    for m in _NAME.finditer(sentence, 0, end):
        if m.group() in _NOT_NAMES or sentence[m.start():m.start() + 3] in _NOT_NAMES:
            continue
        if m.start() in others_end:
            continue  # 学员小周, 客户老陈: the student named, already counted
        out.append(("name", m.start()))  # a student, or the creator's own nickname
    for name in self_names:
        i = sentence.find(name, 0, end)
        while i >= 0:
            out = [(w, at) for w, at in out if not i <= at < i + len(name)] + [("self", i)]
            i = sentence.find(name, i + len(name), end)
    return sorted(out, key=lambda p: p[1])


def claim_scope(text: str, start: int, end: int, self_names: tuple[str, ...] = ()) -> Scope:
    """Whose result the number at text[start:end] is, on which account, in which cohort.

    The person named last before the number in its own clause tells whose it is
    ("不少客户是看了我抖音30天涨粉8600那条复盘" is mine, "学员小周30天涨粉8600" is
    theirs; a bare name, "小林3个月涨粉2w+", may be the creator's nickname: not judged). With no one in the clause, the
    sentence decides only when it is plain: 我 and no one else ("我自己的小红书从0
    开始，2个月做到3800粉") is mine; someone else first and no 我 at all ("她用4个月
    把微信好友从300人加到1400人") is theirs; "我替小周高兴，第一个月收入两千元" and
    "学员常问我，小红书5个月做到2.3万粉是怎么做到的" are not judged. Someone else's
    needs a result word ("我的学员126人" counts my students)."""
    return _scope_in(text, *sentence_bounds(text, start, end), *clause_bounds(text, start, end),
                     start, end, self_names)


def _scope_in(text: str, s: int, e: int, cs: int, ce: int, start: int, end: int,
              self_names: tuple[str, ...]) -> Scope:
    """claim_scope, the sentence text[s:e] and the clause text[cs:ce] found. Reads
    text[s - 1:e] alone (text[s - 1] for a lookbehind)."""
    sentence = text[s:e]
    people = _people(sentence, start - s, self_names)
    subjects = [p for p in people if p[0] != "object"]
    in_clause = [p for p in subjects if p[1] >= cs - s]
    owner = None
    if in_clause:
        owner = in_clause[-1][0] if in_clause[-1][0] != "name" else None
    elif subjects and all(w == "self" for w, _ in subjects):
        owner = "self"
    elif subjects and subjects[0][1] == _opening(sentence) and not any(
            w in ("self", "object") for w, _ in people):
        owner = "other"
    if owner == "other" and not _RESULT.search(text, s + (in_clause or subjects)[-1][1], ce):
        owner = None
    return Scope(owner, _account_of(text, s, cs, ce, start), _cohort(sentence, start - s, end - s))


_LIST_MARK = re.compile(r"[\s\-*>#·•]*(?:\d{1,2}[.、)）]\s*)?")


def _opening(sentence: str) -> int:
    """Where a sentence's first word starts (after a list mark and spaces)."""
    return _LIST_MARK.match(sentence).end()  # type: ignore[union-attr]  (matches "" at least)


def _account_of(text: str, floor: int, cs: int, ce: int, start: int) -> frozenset[str]:
    """The account the number's clause (text[cs:ce]) names, else the last one named
    as a subject before it in its sentence (text[floor:start]): "我的小红书发了38条，
    只有2700粉"; "我在朋友圈说过：那篇文章加微信948人" names no account for 948."""
    colon = max(text.rfind("：", cs, start), text.rfind(":", cs, start))
    named = _accounts(text[colon + 1 if colon >= 0 else cs:ce])  # "我在朋友圈说过：…948人"
    if not named:
        owned = list(_OWNED_ACCOUNT_RE.finditer(text, floor, start))
        if owned:
            named = frozenset({_ACCOUNTS[owned[-1].group()]})
    return named


def _accounts(text: str) -> frozenset[str]:
    return frozenset(_ACCOUNTS[m.group()] for m in _ACCOUNT_RE.finditer(text))


def fact_scope(f: Fact) -> Scope:
    """A fact's scope: its kind says whose result it is; the account is the one
    its clause names, else the one its note's title names (if only one)."""
    owner = {"他证": "other", "自证": "self"}.get(f.kind)
    i = f.quote.find(f.text)
    if i < 0:
        return Scope(owner, _accounts(f.quote))
    account = _account_of(f.quote, 0, *clause_bounds(f.quote, i, i + len(f.text)), i)
    if not account and len(titled := _accounts(f.title)) == 1:
        account = titled
    return Scope(owner, account, _cohort(f.quote, i, i + len(f.text)))


def scope_conflict(claim: Scope, fact: Scope) -> str | None:
    """Why a fact is about someone or something else than the claim, or None."""
    if claim.owner == "self" and fact.owner == "other":
        return "记录里这是学员/客户的结果，不是你自己的"
    if claim.owner == "other" and fact.owner == "self":
        return "记录里这是你自己的结果，不是学员/客户的"
    if claim.account and fact.account and not claim.account & fact.account:
        return "记录里这个数字说的是另一个账号"
    if claim.cohort and fact.cohort and not claim.cohort & fact.cohort:
        return "记录里这个数字说的是另一期"
    return None


class DraftClaims:
    """The metric groups and the scope of every number of one draft.

    Where its clauses and sentences end is found once (:class:`Marks`), and a
    clause or sentence the draft repeats word for word (a long draft repeats its
    formulas) is read once: the answer depends on nothing else."""

    def __init__(self, text: str, self_names: tuple[str, ...] = ()) -> None:
        self.text = text
        self.self_names = self_names
        self.marks = Marks(text)
        self._groups: dict[tuple[str, int, int], frozenset[str]] = {}
        self._scopes: dict[tuple[str, int, int, int, int, int], Scope] = {}

    def groups(self, start: int, end: int) -> frozenset[str]:
        """claim_groups(text, start, end)."""
        s, e = self.marks.clause(start, end)
        key = (self.text[s:e], start - s, end - s)
        found = self._groups.get(key)
        if found is None:
            found = self._groups[key] = _groups_in(self.text, s, e, start, end)
        return found

    def scope(self, start: int, end: int) -> Scope:
        """claim_scope(text, start, end, self_names)."""
        s, e = self.marks.sentence(start, end)
        cs, ce = self.marks.clause(start, end)
        floor = max(0, s - 1)
        key = (self.text[floor:e], s - floor, start - s, end - s, cs - s, ce - s)
        found = self._scopes.get(key)
        if found is None:
            found = self._scopes[key] = _scope_in(self.text, s, e, cs, ce, start, end,
                                                  self.self_names)
        return found
