"""Structure: does the draft have the parts its kind needs, and is it sane?

- A live-stream script needs, in some form: opening, pain point, promise,
  self-proof (自证), third-party proof (他证), product and delivery, a
  time-limited offer, interaction cues, closing and an after-sale promise.
  With the script's segments at hand each must be present and have lines;
  for plain text each part is recognised by its cue words.
- A post must state an attitude (the profile's own attitudes, or a sentence
  in the form of a stance: ``stance.py``) and use at least one real case number (a grounded or approximate
  number from the number check).
- Any draft: degenerate output, which small local models produce and the
  writing chains retry on — the same sentence three or more times, a phrase
  repeated three or more times in a row, text cut off mid-sentence, or a line
  copied from the instructions (or a template placeholder left in); and in a
  model's output, junk no note holds — a link, an image, HTML/CSS/code, a
  template placeholder such as 【对象+数字+结果】.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ipwriter.checks.models import NumberFinding, StructureFinding
from ipwriter.checks.stance import has_stance
from ipwriter.text.split import sentences

# (segment key, Chinese name, cue words for plain text, what to add)
SCRIPT_PARTS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("opening", "开场", ("开场", "欢迎", "大家好", "今晚", "今天这场", "我是"),
     "开头先打招呼，说清楚今天讲什么、讲多久、适合谁"),
    ("pain", "痛点", ("痛点", "是不是", "有没有", "困扰", "焦虑", "卡在", "难题", "发愁", "没人问"),
     "讲一个观众正在经历的具体问题，最好配一个真实场景"),
    ("promise", "承诺", ("承诺", "带你", "学完", "你会", "帮你", "能做到", "目标是"),
     "说清楚学完能得到什么，只承诺你能交付的，不承诺收入"),
    ("self_proof", "自证", ("自证", "我自己", "我做", "我的账号", "我用", "我亲自", "后台截图", "我从"),
     "放你自己的真实结果（来自你的复盘记录），说明方法是你亲手做过的"),
    ("third_party", "他证", ("他证", "学员", "同学", "客户", "案例", "反馈"),
     "放一个已获授权的学员案例和数据（他证）"),
    ("product", "产品与交付", ("交付", "课程", "包含", "直播课", "作业", "答疑", "录播", "服务"),
     "讲清楚买到的是什么：内容、形式、周期、怎么交付"),
    ("offer", "限时优惠", ("限时", "点前", "名额", "截止", "优惠", "赠送", "额外送", "倒计时"),
     "给一个有截止时间的理由（赠品或名额），不要虚构原价"),
    ("interaction", "互动", ("评论区", "打在公屏", "连麦", "留言", "扣", "弹幕", "举手", "点赞"),
     "加入互动提示：提问、连麦、让观众在评论区说出自己的情况"),
    ("closing", "收尾", ("收尾", "最后", "总结", "再说一遍", "适合谁", "不适合"),
     "收尾时再讲一遍适合谁、不适合谁，给出下一步动作"),
    ("after_sale", "售后承诺", ("退款", "售后", "不满意", "不合适", "答疑期", "保障"),
     "说明售后：不满意怎么办、答疑多久"),
)

_ENDS = "。！？!?；;…”’」』）)\"'"
_END_OK = re.compile(r"[。！？!?…~～）)」』”’】\]\"'\uFE0F\u200d\u2600-\u27BF\U0001F000-\U0010FFFF]\s*$")
_TAG_LINE = re.compile(r"(?:^|\n)\s*(?:#[^\s#]+\s*)+$")
_PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}|\{\{|\}\}|<<<|>>>|\[\[|\]\]")
_ECHO_MIN = 12
# What a small model invents that no note holds: links and images, HTML/CSS/code,
# template placeholders (【对象+数字+结果】, 【此处插入图片】, XX元). (kind, pattern), checked
# in order; a pattern's "url" group, when it has one, is what must be in the notes.
_URL = r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]+"
_HTML_TAGS = ("div|span|p|br|hr|img|a|style|script|html|head|body|h[1-6]|ul|ol|li|table|tr|td|th|"
              "iframe|section|article|font|center|b|i|u|strong|em|pre|code|button|input|form|svg")
_SLOT = "对象|数字|结果|标题|主题|产品名?称?|案例名?称?|名称|关键词|痛点|卖点|人群|价格|时间|地点|姓名|昵称|链接"
_JUNK: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("链接", re.compile(rf"!\[[^\]\n]{{0,80}}\]\((?P<url>[^)\s]{{0,300}})\)"
                      rf"|\[[^\]\n]{{0,80}}\]\((?P<url2>{_URL})\)|(?P<url3>{_URL})", re.I)),
    ("图片引用", re.compile(r"[A-Za-z0-9_./:%-]{1,120}\.(?:png|jpe?g|gif|webp|svg)\b"
                        r"|[\[【]\s*(?:图片|配图|插图|封面图?|此处[^】\]\n]{0,12}图[^】\]\n]{0,6})\s*[\]】]", re.I)),
    ("代码", re.compile(
        rf"```|</?(?:{_HTML_TAGS})(?:\s[^<>\n]{{0,200}})?/?>|&(?:nbsp|lt|gt|amp|quot);"
        r"|\{[^{}\n]{0,300}[a-z-]{2,}\s*:[^{}\n]{0,300}\}"
        r"|\b[a-z-]{3,}\s*:\s*-?\d+(?:\.\d+)?(?:px|em|rem|vh|vw|pt)\b"
        r"|\b(?:console\.log|document\.|function\s*\(|print\()", re.I)),
    ("模板占位符", re.compile(
        rf"【\s*(?:{_SLOT})(?:\s*[+＋/／、]\s*(?:{_SLOT}))+\s*】"
        rf"|【\s*(?:此处|这里|在此)[^】\n]{{0,12}}】|【\s*(?:填写?|插入|替换成?)[^】\n]{{0,12}}】"
        r"|【\s*(?:产品名称|案例名称|课程名称|你的名字|姓名|昵称|链接|二维码)\s*】"
        r"|XX+(?=\s*[元个人位天条单次%万])")),
)


def _cue(text: str, cues: Iterable[str]) -> bool:
    return any(c in text for c in cues)


def script_parts(text: str, segments: Sequence[dict] | None = None) -> list[StructureFinding]:
    """Missing parts of a live-stream script."""
    out = []
    by_key = {}
    for seg in segments or ():
        by_key[seg.get("key") or seg.get("name")] = seg
    for key, name, cues, advice in SCRIPT_PARTS:
        if segments is not None:
            seg = by_key.get(key) or by_key.get(name)
            lines = [ln for ln in (seg or {}).get("lines", []) if str(ln).strip()]
            if not lines:
                out.append(StructureFinding(problem=f"脚本缺少「{name}」段", suggestion=advice,
                                            code=f"missing:{key}"))
        elif not _cue(text, (name, *cues)):
            out.append(StructureFinding(problem=f"脚本里没有找到「{name}」", suggestion=advice,
                                        code=f"missing:{key}"))
    return out


def post_parts(text: str, numbers: Sequence[NumberFinding], attitudes: Sequence[str] = ()) -> list[StructureFinding]:
    out = []
    own = any(a and (a in text or _shares_phrase(a, text)) for a in attitudes)
    if not own and not has_stance(text):
        out.append(StructureFinding(
            problem="没有明确的态度或观点", code="missing:attitude",
            suggestion="用一句话亮出你的立场（可以直接用 profile.yaml 里的态度），再用案例支撑它"))
    if not any(n.verdict in ("grounded", "approx") for n in numbers):
        out.append(StructureFinding(
            problem="没有用到一个来自你记录的真实数字", code="missing:case_number",
            suggestion="放一个真实案例的数字（来自知识库），例如涨粉数、成交单数或学员人数"))
    return out


def _shares_phrase(attitude: str, text: str, n: int = 6) -> bool:
    core = re.sub(r"[，,。！？\s]", "", attitude)
    return any(core[i:i + n] in text for i in range(0, max(1, len(core) - n + 1)))


def junk(text: str, material: Sequence[str] = (), offset: int = 0) -> list[StructureFinding]:
    """Links, images, HTML/CSS/code and template placeholders in a model's text
    that the ``material`` it was given (the evidence) does not hold: one
    finding per kind, at the first (``offset`` is added to its position)."""
    out = []
    for kind, pattern in _JUNK:
        for m in pattern.finditer(text):
            found = m.group(0).strip()
            needle = next((g for g in (m.groupdict().get(k) for k in ("url", "url2", "url3")) if g),
                          found)
            if found and not any(needle in given for given in material):
                out.append(StructureFinding(
                    problem=f"模型输出了资料里没有的{kind}：「{found[:40]}」",
                    suggestion="删掉它（资料里没有的链接、图片、代码和占位符都不能发），或重新生成",
                    code="junk", start=offset + m.start(), end=offset + m.end()))
                break
    return out


def degenerate(text: str, instructions: Sequence[str] = (), *, generated: bool = False,
               material: Sequence[str] = ()) -> list[StructureFinding]:
    """``generated``: the text is a model's output, so a missing sentence end means
    it was cut off (a person's draft may simply end without punctuation), and a
    link, image, code or placeholder not in the ``material`` it was given is junk."""
    out = []
    stripped = text.strip()
    if not stripped:
        return [StructureFinding(problem="正文是空的", suggestion="重新生成", code="empty")]
    counts: dict[str, int] = {}
    for s in (s.strip() for s in sentences(stripped)):
        if len(s) >= 4:
            key = s.rstrip(_ENDS)
            counts[key] = counts.get(key, 0) + 1
    repeated = [s for s, c in counts.items() if c >= 3]
    if repeated:
        out.append(StructureFinding(problem=f"同一句话重复了 {counts[repeated[0]]} 次：「{repeated[0][:30]}」",
                                    suggestion="删掉重复的句子，或重新生成", code="repeated"))
    else:
        m = re.search(r"(.{2,20}?)\1{2,}", stripped, re.S)
        if m and len(m.group(0)) >= 8 and m.group(1).strip():
            out.append(StructureFinding(
                problem=f"同一个短语连续重复：「{m.group(1)[:20]}」×{len(m.group(0)) // len(m.group(1))}",
                suggestion="删掉重复的部分，或重新生成", code="repeated"))
    if generated and not _END_OK.search(stripped) and not _tag_line(stripped):
        out.append(StructureFinding(problem="正文在句子中间断掉了（没有结尾标点）",
                                    suggestion="补完最后一句，或把长度上限调大后重新生成", code="truncated"))
    echoed = _echo(stripped, instructions)
    if echoed:
        out.append(StructureFinding(problem=f"正文里抄进了写作要求里的原话：「{echoed[:30]}」",
                                    suggestion="删掉这句要求，或重新生成", code="echoed_instruction"))
    elif _PLACEHOLDER.search(stripped):
        out.append(StructureFinding(problem="正文里留有模板占位符或资料分隔符",
                                    suggestion="删掉占位符，或重新生成", code="echoed_instruction"))
    if generated:
        out += junk(stripped, material, offset=len(text) - len(text.lstrip()))
    return out


def _tag_line(text: str) -> bool:
    """Does ``text`` end with a line of hashtags (#私域 #副业)? Only its last line
    can be that line (a run of tag lines ends with one), and searching the whole
    text would walk from every line start to the end: quadratic over many lines."""
    return bool(_TAG_LINE.search(text, max(0, text.rfind("\n"))))


_CLAUSE_ECHO_MIN = 16
_CLAUSE_MARKS = re.compile(r"[，。；：！？,;:!?]")


def _echo(text: str, instructions: Sequence[str]) -> str | None:
    """A line of the instructions copied into the text, or one long clause of
    them (a small model copies "标题就用计划里的标题（最多微调几个字）" alone);
    clauses with a placeholder are the creator's own words once filled in."""
    for block in instructions:
        for line in block.splitlines():
            line = line.strip(" -*#：:")
            if len(line) >= _ECHO_MIN and line in text:
                return line
            for clause in _CLAUSE_MARKS.split(line):
                clause = clause.strip(" -*#“”\"")
                if len(clause) >= _CLAUSE_ECHO_MIN and "{" not in clause and clause in text:
                    return clause
    return None
