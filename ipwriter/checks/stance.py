"""Does a post take a stance (有态度)? Found by the form of a sentence, not a word list.

A sentence states a stance when it has one of four forms (methodology A: 有态度的干货):

- a **first-person judgement**: 我 + a verb of judging, choosing or committing
  ("我只承诺8周搭好…", "这条意见我认", "我的选择是…", "我一直觉得…");
- a **contrast**: 不是…而是, 与其…不如, A比B更…, …才是/才会…, 不等于, 反而;
- a **recommendation**: an imperative or a modal at the head of a clause
  (别急着…, 不要…, 记住…, 先…再…, 你要…) or a should anywhere (必须, 不该, 应该);
- a **warning**: 小心, 警惕, 留个心眼, 别信, 谁…都….

Questions are not stances ("你是不是也遇到过？"), and neither is narration
("当场成交43单，每单1999元。").
"""

from __future__ import annotations

import re

from ipwriter.text.split import sentences

_S = r"[^，。！？；\n]"  # within one clause
_JUDGEMENT = re.compile(
    rf"(?:我|本人){_S}{{0,4}}?(?:觉得|认为|相信|坚持|反对|主张|建议|劝|承诺|认了?(?=[。！，；]|$)|宁愿|宁可|"
    r"从不|从来不|绝不|不会(?:为了|再|把|去|拿|用|让|因为)|不教|只教|不做|只做|不接|只接|不卖|只卖|选择|决定|给自己定|想说|要说|得说|"
    r"敢说|不信|想明白|明白了|看清|的(?:观点|态度|原则|规矩|结论|建议|选择|答案|判断|看法|想法|底线))"
    r"|说(?:句)?实话|说句不好听的|真相是|我的态度")
_CONTRAST = re.compile(
    rf"不是{_S}{{0,30}}?(?:而是|才是)|不是{_S}{{1,30}}[，,]{_S}{{0,12}}?(?:而是|是|才是)|与其[^。！？\n]{{1,40}}?不如|"
    rf"比{_S}{{1,20}}?更(?:重要|值得|有用|关键|管用|靠谱)|而不是|不等于|(?<![刚方适人])才(?:是|会|能|有|算)|"
    r"反而|恰恰|"
    r"(?:问题|关键|重点)不在")
_ADVICE = re.compile(
    r"(?:^|[，。！？；：:\s“「])(?:建议|记住|一定要|务必|千万|别(?![人的处家])|先别|不要|不必|宁可|"
    r"先[^。！？\n]{1,24}?再)|必须|不该|不应该|应该(?!是)|你(?:要|得|需要|可以先|别|不要)(?!的)|我的建议")
_WARNING = re.compile(rf"小心|警惕|留个?心眼|别信|当心|谨防|谁{_S}{{0,14}}都")

FORMS = (("judgement", _JUDGEMENT), ("contrast", _CONTRAST), ("advice", _ADVICE),
         ("warning", _WARNING))


def stance_sentences(text: str) -> list[tuple[str, str]]:
    """(form, sentence) for every sentence of ``text`` that takes a stance."""
    out = []
    for sentence in sentences(text):
        s = sentence.strip()
        if not s or s.rstrip("”’」』\"'）)").endswith(("？", "?")):
            continue
        for form, pattern in FORMS:
            if pattern.search(s):
                out.append((form, s))
                break
    return out


def has_stance(text: str) -> bool:
    return bool(stance_sentences(text))
