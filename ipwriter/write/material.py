"""The parts of a brief, from the notes, the profile and the platform rules alone
(methodology B.6–9 for cases, stances and titles; C.12–13 for proof: a
student's result is never told as the creator's; E.22 for where a call to
action may lead).

Nothing here calls a model, and every number it puts in a brief is a fact's
own text or a sentence quoted from a note, so a brief is grounded by
construction (the tests run the number check over it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ipwriter.checks.compliance import check_compliance, default_compliance_lexicon
from ipwriter.knowledge.models import Evidence, Fact
from ipwriter.knowledge.tokenize import number_tokens
from ipwriter.platforms import CTAS, title_limit
from ipwriter.platforms import label as platform_label
from ipwriter.profile import CreatorProfile
from ipwriter.text.numbers import find_numbers
from ipwriter.text.split import clause_bounds, sentences
from ipwriter.text.units import TIME_UNITS
from ipwriter.text.words import jieba
from ipwriter.write.brief import BriefCase, BriefFact, Stance, TitleIdea, Trap
from ipwriter.write.context import MaterialContext

PROOF_KINDS = ("自证", "他证")
KEY_KINDS = ("自证", "他证", "价格")
MIN_COVER = 0.34  # share of the request's words a note must hold to count as its case
CONTRAST_CUES = ("不是", "而是", "其实", "反而", "相反", "别急着", "才是", "与其", "不如", "却", "但")
STEP_HEADINGS = re.compile(r"结论|做法|方法|步骤|经验|怎么|教训|建议|规矩|复盘")
QUESTION = re.compile(r"怎么|如何|为什么|要不要|值不值|能不能|吗|？|\?")
INCOME_WORDS = re.compile(r"收入|赚|营收|变现|设计费|成交额|流水|利润|回本")
# words too common in a creator's notes to tell one case from another
_COMMON = frozenset({"怎么", "如何", "什么", "为什么", "我们", "自己", "一个", "这个", "就是", "可以",
                     "没有", "还是", "也能", "不能", "知道", "需要", "现在", "时候", "大家", "不多",
                     "很多", "值得", "值不值", "值不值得", "到底", "真的", "应该", "要不要", "做到",
                     "做好", "怎样", "能够", "开始", "一下"})


def content_words(text: str) -> set[str]:
    """The request's words that can tell notes apart: jieba's words of two characters
    or more, and its numbers with their units as written (9.9元)."""
    words = {w for w in jieba().lcut(text, HMM=False) if len(w) >= 2 and w not in _COMMON
             and not any(c.isdigit() for c in w)}
    numbers = {t[1:] for t in number_tokens(text) if not t[1:].replace(".", "").isdigit()}
    # "9.9元" names a product; "30天" is any note's duration
    return words | {n for n in numbers if not n.endswith(tuple(TIME_UNITS))}


def coverage(words: set[str], text: str) -> float:
    return sum(w in text for w in words) / len(words) if words else 1.0


@dataclass
class CaseMaterial:
    """A case note for a brief: its card, the passages found and every fact in them."""

    case: BriefCase
    evidence: list[Evidence]
    facts: list[Fact] = field(default_factory=list)


def _rank_facts(facts: Sequence[Fact], words: set[str], kinds: Sequence[str]) -> list[Fact]:
    seen: set[tuple[str, str]] = set()
    kept = []
    for f in facts:
        key = (f.text, f.quote)
        if f.kind in kinds and f.value != 0 and key not in seen:
            seen.add(key)
            kept.append(f)
    order = {k: i for i, k in enumerate(kinds)}
    return sorted(kept, key=lambda f: (-sum(w in f.quote for w in words), order[f.kind]))


def find_cases(ctx: MaterialContext, query: str, *, named: Sequence[str] = (), k: int = 3,
               per_case: int = 4, kinds: Sequence[str] = KEY_KINDS) -> list[CaseMaterial]:
    """The best case notes for ``query`` (or the ``named`` ones), each with its key
    numbers; a note that holds too few of the query's words is no case for it."""
    evidence = ctx.retriever.case_evidence(named) if named else ctx.retriever.search(query, k=12)
    return group_cases(evidence, query, covered=not named, k=k, per_case=per_case, kinds=kinds)


def group_cases(evidence: Sequence[Evidence], query: str, *, covered: bool = True, k: int = 3,
                per_case: int = 4, kinds: Sequence[str] = KEY_KINDS) -> list[CaseMaterial]:
    """Passages grouped by note, each with its key numbers of ``kinds``; with
    ``covered``, only notes whose passages hold enough of the query's words,
    the notes holding most of them (in their passages and their title) first."""
    by_source: dict[str, list[Evidence]] = {}
    for e in evidence:
        by_source.setdefault(e.source, []).append(e)
    words = content_words(query)
    held = {source: coverage(words, "\n".join(" ".join([e.title, *e.headings, e.text]) for e in found))
            for source, found in by_source.items()}
    # a note's title is its best summary: the query's words in it count as much again
    titled = {source: coverage(words, found[0].title) for source, found in by_source.items()}
    ranked = [s for s in by_source if not covered or held[s] >= MIN_COVER]
    ranked.sort(key=lambda s: -(held[s] + titled[s]) if covered else 0)  # ties: the search's order
    out = []
    for source in ranked[:k]:
        found = by_source[source]
        facts = [f for e in found for f in e.facts]
        key = _rank_facts(facts, words, kinds)[:per_case]
        out.append(CaseMaterial(BriefCase(source=source, title=found[0].title,
                                          facts=[BriefFact.of(f) for f in key]), found, facts))
    return out


def clause(f: Fact | BriefFact) -> str:
    """The clause of the fact's quote that holds its number ("到8月中旬只有860粉")."""
    i = f.quote.find(f.text)
    if i < 0:
        return f.quote
    s, e = clause_bounds(f.quote, i, i + len(f.text))
    return f.quote[s:e].strip(" -—*")


def rank_attitudes(profile: CreatorProfile, query: str, cases: Sequence[CaseMaterial]) -> list[str]:
    """The profile's attitudes, most relevant to the request and its cases first."""
    words = content_words(query)
    case_text = "\n".join(e.text for c in cases for e in c.evidence)
    def score(attitude: str) -> int:
        mine = content_words(attitude)
        return 2 * len(mine & words) + sum(w in case_text for w in mine)
    return sorted(profile.attitudes, key=lambda a: -score(a))


def note_contrasts(cases: Sequence[CaseMaterial], limit: int = 2) -> list[Stance]:
    """Sentences of the cases that set one thing against another with a number
    ("91篇里只有2篇爆了，但正是前面那些普通笔记…"): stances the notes support."""
    out: list[Stance] = []
    for c in cases:
        for e in c.evidence:
            for s in sentences(e.text):
                s = s.strip().lstrip("-*· ").strip()
                if 8 <= len(s) <= 80 and any(cue in s for cue in CONTRAST_CUES) and find_numbers(s):
                    out.append(Stance(text=s, origin="note", source=e.source))
                    if len(out) == limit:
                        return out
    return out


def stance_ideas(profile: CreatorProfile, query: str, cases: Sequence[CaseMaterial]) -> list[Stance]:
    """The best attitude; it set against a real number; the notes' own contrasts;
    the other attitudes."""
    attitudes = rank_attitudes(profile, query, cases)
    out = [Stance(text=attitudes[0], origin="attitude")]
    own = [f for c in cases for f in c.case.facts if f.kind == "自证"]  # "我的记录": 自证 only
    mine = content_words(attitudes[0])
    # the number whose sentence says most about the attitude (the first one on a tie)
    top = max(own, key=lambda f: sum(w in f.quote for w in mine), default=None)
    if top is not None:
        out.append(Stance(text=f"{attitudes[0]}——我的记录：{clause(top)}", origin="contrast",
                          source=top.source))
    out += note_contrasts(cases)
    out += [Stance(text=a, origin="attitude") for a in attitudes[1:]]
    return out


def _before_after(facts: Sequence[Fact]) -> tuple[Fact, Fact] | None:
    """Two numbers of one sentence that says 从 A …到 B, small to large
    ("从300人加到1400人"; not "91篇里只有2篇")."""
    for a in facts:
        for b in facts:
            if a.quote != b.quote or a.unit != b.unit or not 0 < a.value < b.value \
                    or a.kind != b.kind or a.kind not in PROOF_KINDS:
                continue
            i, j = a.quote.find(a.text), a.quote.find(b.text)
            if 0 < i < j and a.quote[i - 1] == "从" and "到" in a.quote[i + len(a.text):j]:
                return a, b
    return None


def title_ideas(platform: str, cases: Sequence[CaseMaterial], query: str = "",
                limit: int = 4) -> list[TitleIdea]:
    """Titles from templates filled with real facts, each within the platform's limit."""
    most = title_limit(platform)
    out: list[TitleIdea] = []

    def add(text: str, pattern: str) -> None:
        text = text.strip(" ，。；;：:、")
        if 4 <= len(text) <= most and all(t.text != text for t in out) \
                and not check_compliance(text, platform):  # e.g. 抖音: no other platform's name
            out.append(TitleIdea(text=text, pattern=pattern, platform=platform, limit=most))

    words = content_words(query)
    for c in cases[:2]:
        pair = _before_after(c.facts)
        if pair:  # whose result it is stays with it: a student's is never "我"
            a, b = pair
            who = "我是怎么做的" if a.kind == "自证" else "学员是怎么做到的"
            add(f"从{a.text}到{b.text}，{who}", "前后对比")
        head = re.split(r"[：:｜|（(]", c.case.title)[0]
        if find_numbers(head) or any(w in head for w in words):
            add(head, "案例标题")  # "小红书账号从0到2.3万粉", not a bare "失败复盘"
        for f in c.case.facts:  # a clause has no subject of its own: the creator's results only
            if f.kind == "自证" and len(clause(f)) >= 8:
                add(clause(f), "对象+数字+结果")
                break
    if query and not find_numbers(query) and QUESTION.search(query):
        add(query.rstrip("？?。！!") + "？", "提问")
    return out[:limit]


def steps_of(case: CaseMaterial, limit: int = 3) -> list[str]:
    """List items under a 结论/做法/方法… heading of the case, quoted as written
    (or a line that says the note has none)."""
    items: list[str] = []
    for e in case.evidence:
        if not any(STEP_HEADINGS.search(h) for h in e.headings):
            continue
        for line in e.text.splitlines():
            line = line.strip()
            if re.match(r"(?:[-*·]|\d+[.、）)])\s*\S", line):
                items.append(re.sub(r"^(?:[-*·]|\d+[.、）)])\s*", "", line).rstrip("；;"))
    return items[:limit] or ["（这篇笔记里没有成条的做法：写你实际做过的几步）"]


def ctas(platform: str | None) -> list[str]:
    return list(CTAS.get(platform or "", ()))


def traps(platform: str | None, texts: Sequence[str], facts: Sequence[Fact | BriefFact], *,
          selling: bool, banned_words: Sequence[str] = ()) -> list[Trap]:
    """The compliance traps a piece on this material is close to: findings in the
    request, titles and stances themselves; an income number near an offer; a
    student's result in copy that sells; the platform's own rules."""
    out: list[Trap] = []
    for found in check_compliance("\n".join(texts), platform, banned_words):
        if found.level in ("ban", "caution"):
            out.append(Trap(text=f"「{found.text}」{found.rule}", rule=found.basis,
                            advice=found.suggestion))
    income = [f for f in facts if f.kind in PROOF_KINDS and f.text.endswith("元")
              and INCOME_WORDS.search(f.quote)]
    if income:
        out.append(Trap(
            text=f"收益数字：{clause(income[0])}", rule="《广告法》第二十四条第一项、第二十五条",
            advice="写成已经发生的个案（谁、用多久、得到多少），不要写成“你也能赚到”；"
                   + ("旁边就是课程，更不能暗示买课就有这个收益" if selling else "别和课程放在一起说")))
    if any(f.kind == "他证" for f in facts):
        out.append(Trap(text="学员案例（他证）", rule="《广告法》第二十四条第三项",
                        advice="只用已获授权的案例，写明是个人结果，并加一句“效果因人而异”"))
    if any(f.kind == "价格" and "原价" in f.quote for f in facts):
        out.append(Trap(text="原价/划线价", rule="《明码标价和禁止价格欺诈规定》",
                        advice="原价要有真实成交记录，否则只写现价"))
    return out + (platform_traps(platform) if platform else [])


def platform_traps(platform: str) -> list[Trap]:
    """The rules written for this platform alone (diversion, engagement bait …)."""
    return [Trap(text=f"{platform_label(platform)}：{entry.rule}", rule=entry.basis,
                 advice=entry.suggestion)
            for entry in default_compliance_lexicon().platform_rules(platform)]


def no_case_message(query: str, what: str) -> tuple[str, list[str]]:
    """(what the brief says when the notes hold nothing for the request, notes to add)."""
    return (f"知识库里没有和「{query}」对得上的案例笔记：下面的提纲没有真实数字可用，"
            f"直接写只会是空话。",
            [f"补一篇{what}的复盘笔记：起点、做了什么、结果数字（粉丝、咨询、成交、收入）和日期",
             "已经写过这样的笔记？放进 knowledge/ 后运行 ipwriter ingest",
             "知识库是空的？先导入案例笔记（ipwriter ingest）"])
