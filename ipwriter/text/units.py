"""The vocabulary every number reader agrees on: canonical units and modifiers.

Units are the *canonical* names :func:`ipwriter.text.numbers.find_numbers`
returns (月 → 个月, 日 → 天, 块 → 元, 位/名/学员 → 人 …), so fact extraction,
grounding and the vague-word check compare like with like.

Modifiers are the words written before a number (or, for 以下/以内/之内,
after it) that say how the number relates to the truth:

- approximate (近 约 大约 …): the truth is near the number;
- lower bound (超过 至少 高达 …) and the trailing + 多 余 以上 出头: the truth is
  at or above it;
- upper bound (不到 不足 以内 最多 只有 仅 …): the truth is at or below it.
"""

from __future__ import annotations

#: Durations. A duration says when or how long, not how much.
TIME_UNITS = frozenset({"秒", "分钟", "小时", "天", "工作日", "周", "个月", "季度", "年", "周年"})
#: Ages ("28岁"): like durations, never a count of results.
AGE_UNITS = frozenset({"岁"})
MONEY_UNITS = frozenset({"元"})
#: Ratios: a number in one of these only ever matches the same unit.
RATIO_UNITS = frozenset({"%", "‰", "个百分点", "倍", "折", "成"})

#: Every leading modifier the grammar recognises (longer ones are tried first
#: by the grammar's regular expression, so the order here does not matter).
MODIFIERS: tuple[str, ...] = (
    "差不多", "不少于", "不超过", "不低于", "不高于", "约莫", "大约", "大概",
    "超过", "不到", "不足", "至少", "最少", "最多", "高达", "将近", "接近",
    "多达", "只有", "仅仅", "起码", "足足", "整整", "低于", "高于", "少于",
    "多于", "约", "近", "仅", "逾", "超")
#: Trailing words that act as an upper-bound modifier when no leading one is written.
TRAILING_MODIFIERS = ("以下", "以内", "之内")

APPROX_MODIFIERS = frozenset({"近", "约", "大约", "大概", "接近", "将近", "差不多", "约莫"})
LOWER_BOUND_MODIFIERS = frozenset({"超过", "至少", "最少", "不少于", "不低于", "高于", "多于",
                                   "多达", "逾", "超", "起码", "高达"})
UPPER_BOUND_MODIFIERS = frozenset({"不到", "不足", "低于", "少于", "不超过", "不高于", "以下",
                                   "以内", "之内", "最多"})
#: 只有/仅 mark a small amount, not a bound: "只有860粉" is 860 exactly (and never a
#: number to offer in place of 很多).
SMALL_AMOUNT_MODIFIERS = frozenset({"只有", "仅", "仅仅"})
