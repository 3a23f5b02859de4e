"""What a number is about: its metric and its scope, for grounding.

**Metric groups** (涨粉, 在线, 复购, 收入 …) say what a number measures. A word
may sit in two groups (卖了 is orders and revenue); the longest word wins
where two overlap. Followers come in two kinds that are never the same
number: a *total* ("2.3万粉", "粉丝从2700涨到11300") and a *gain* ("涨粉8600",
"新增关注6300", "带来了4700粉"). "N粉" is a total unless a gain verb stands
right before it in its clause (带来 / 贡献了 / 涨了 / 新增 …); alone in its
clause (a list of key numbers) it may be either.

**Scope** says whose result and where:

- *owner*: a sentence that names only 我 ("我的抖音3个月涨粉5200") tells the
  creator's result, and a fact recorded as a student's (他证) cannot back it
  unless the sentence names someone ("我第一次看到小周的数据"); a sentence that
  names a student or a client first, with a result ("学员小周按我教的改了开头，
  涨粉8600"), cannot be backed by the creator's own (自证) result. A sentence
  with both (我…服务了23位客户，收入…) is not judged;
- *account*: the platform named in the number's clause, else the last one
  named before it in the sentence ("我的小红书发了38条，只有2700粉"); for a fact,
  else the one its note's title names ("抖音口播号改开头3秒…");
- *cohort*: the 第N期 named in the sentence.

Two scopes conflict only when both sides name the part that differs; an
unnamed part never conflicts (most sentences name nothing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ipwriter.knowledge.models import Fact
from ipwriter.text.split import clause_bounds, sentence_bounds
from ipwriter.text.words import person_names

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
    "retention": ("完播", "留存", "划走", "停留"),
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
}
_METRIC_RE = re.compile("|".join(sorted({re.escape(w) for ws in METRICS.values() for w in ws},
                                        key=len, reverse=True)))
_WORD_GROUPS: dict[str, set[str]] = {}
for _group, _words in METRICS.items():
    for _w in _words:
        _WORD_GROUPS.setdefault(_w, set()).add(_group)

# a gain verb right before "N粉" in its clause: 带来了4700粉, 两篇贡献了6900粉, 涨了500粉
_GAIN_BEFORE = re.compile(r"(?:涨了|新增了?|增加了?|增长了?|多了|带来了?|贡献了?|吸了|吸引了?|拉新)"
                          r"[^，。；！？\n]{0,3}$")


_HAN = re.compile(r"[\u4e00-\u9fff]")


def metric_groups(text: str) -> frozenset[str]:
    out: set[str] = set()
    for m in _METRIC_RE.finditer(text):
        out |= _WORD_GROUPS[m.group()]
    return frozenset(out)


def clause_of(text: str, start: int, end: int) -> str:
    """The clause around text[start:end], without the number itself."""
    s, e = clause_bounds(text, start, end)
    return text[s:start] + " " + text[end:e]


def claim_groups(text: str, start: int, end: int) -> frozenset[str]:
    """The metric groups of the number at text[start:end]: its clause and its
    own unit (2.3万粉, 10万+阅读); "N粉" after a gain verb is a gain."""
    s, e = clause_bounds(text, start, end)
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
_COHORT_RE = re.compile(r"第\s*(\d+|[一二三四五六七八九十]+)\s*期")
_CN_SMALL = {c: i for i, c in enumerate("零一二三四五六七八九十")}
# the first person a sentence names is whose result it tells: 我 / 本人 (the creator),
# or a student, a client, a third person (我的学员 is a student; 其他/他们 are not)
_PERSON = re.compile(r"我的(?:学员|学生|同学|客户)|学员|学生|同学|客户|来访者|(?<![其吉])他(?![们人证])|她"
                     r"|(?P<me>我|本人)")
# what a result sounds like (a student's own result needs one to be claimed)
_RESULT = re.compile(r"涨粉|收入|赚|接了|签了|签下|成交|做到|卖出|卖了|招了|变现|转成|加到|涨到|月入|回本|粉")


@dataclass(frozen=True, slots=True)
class Scope:
    owner: str | None = None  # "self" | "other" | None (not said)
    account: frozenset[str] = frozenset()
    cohort: frozenset[int] = frozenset()
    sentence: str = ""  # the claim's sentence, for the name test (only when needed)


def _cohorts(text: str) -> frozenset[int]:
    out = set()
    for m in _COHORT_RE.finditer(text):
        n = m.group(1)
        if n.isdigit():
            out.add(int(n))
        elif n == "十":
            out.add(10)
        elif len(n) == 1:
            out.add(_CN_SMALL[n])
    return frozenset(out)


def claim_scope(text: str, start: int, end: int) -> Scope:
    """Whose result the number at text[start:end] is, on which account, in which cohort."""
    s, e = sentence_bounds(text, start, end)
    sentence = text[s:e]
    owner = None
    people = list(_PERSON.finditer(sentence))
    if people and all(p.group("me") for p in people):
        owner = "self"  # only 我 in it: "我自己的小红书2个月做到3800粉"
    elif people and not people[0].group("me") and _RESULT.search(sentence):
        owner = "other"  # someone else first: "学员小周按我教的改了开头，涨粉8600"
    return Scope(owner, _account_of(text, s, start, end), _cohorts(sentence), sentence)


def _account_of(text: str, floor: int, start: int, end: int) -> frozenset[str]:
    """The account the number's clause names, else the last one named before it
    in its sentence (text[floor:start]): "我的小红书发了38条，只有2700粉"."""
    cs, ce = clause_bounds(text, start, end)
    named = _accounts(text[cs:ce])
    if not named:
        before = list(_ACCOUNT_RE.finditer(text, floor, start))
        if before:
            named = frozenset({_ACCOUNTS[before[-1].group()]})
    return named


def _accounts(text: str) -> frozenset[str]:
    return frozenset(_ACCOUNTS[m.group()] for m in _ACCOUNT_RE.finditer(text))


def fact_scope(f: Fact) -> Scope:
    """A fact's scope: its kind says whose result it is; the account is the one
    its clause names, else the one its note's title names (if only one)."""
    owner = {"他证": "other", "自证": "self"}.get(f.kind)
    i = f.quote.find(f.text)
    account = _account_of(f.quote, 0, i, i + len(f.text)) if i >= 0 else _accounts(f.quote)
    if not account and len(titled := _accounts(f.title)) == 1:
        account = titled
    return Scope(owner, account, _cohorts(f.quote))


def scope_conflict(claim: Scope, fact: Scope) -> str | None:
    """Why a fact is about someone or something else than the claim, or None."""
    if claim.owner == "self" and fact.owner == "other" and not person_names(claim.sentence):
        # "我第一次看到小周的数据：2个月3800粉" names her: not a claim about me
        return "记录里这是学员/客户的结果，不是你自己的"
    if claim.owner == "other" and fact.owner == "self":
        return "记录里这是你自己的结果，不是学员/客户的"
    if claim.account and fact.account and not claim.account & fact.account:
        return "记录里这个数字说的是另一个账号"
    if claim.cohort and fact.cohort and not claim.cohort & fact.cohort:
        return "记录里这个数字说的是另一期"
    return None
