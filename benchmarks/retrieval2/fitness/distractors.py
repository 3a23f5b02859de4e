"""Near-duplicate distractor notes for the fitness niche (林栖 / 栖身会 / 燃脂营 …).

make(r, i) -> (file name, text). Eight look-alike families, one per i % 8:
camp reviews of other cohorts, monthly community jottings for other months,
student stories of other people, livestream reviews of other sales events,
private-coaching reviews of other periods, Q&A transcripts on other topics,
wake-up camp reviews of other rounds, posture small-class reviews.

They reuse the creator's products, team and some student pseudonyms, but never
the facts the benchmark questions ask about (cohort 5 / cohort 8, the March
community notes, the June livestream, the 2024 H1 coaching review, 小满's
assessment / comeback / waist, 老周's diet change, the plateau answer, the
wake-up camp day schedule, the posture-class intake and 阿禾).
Standard library only.
"""

from __future__ import annotations

import random

# Answer strings of questions.yaml: a generated text must never contain one.
FORBIDDEN = [
    "腹直肌分离两指半",
    "腰围从89公分降到了74公分",
    "每天只做三组死虫，做完给我发个句号",
    "助教小鹿一个人要看六百多张餐盘照片",
    "97人续了栖身会年卡",
    "第14天做中场体测",
    "三张站姿照，再加一段30秒的走路视频",
    "练到第六周的时候，同事问她是不是换了副眼镜",
    "3月退群11个人",
    "把训练搬进健身房",
    "按剩余课时退了3400元",
    "燃脂营成交156单",
    "先吃一拳头蔬菜，再吃肉，最后才碰主食",
    "先看睡眠和日均步数",
    "呼吸与肋骨归位",
]


def _sq(s: str) -> str:
    return "".join(s.split())


_FORBIDDEN_SQ = [_sq(a) for a in FORBIDDEN]

STAFF = ["小鹿", "阿槿", "大橙"]


def _pick(r: random.Random, xs):
    return xs[r.randrange(len(xs))]


def _some(r: random.Random, xs, lo: int, hi: int):
    k = r.randint(lo, min(hi, len(xs)))
    return r.sample(xs, k)


def _kg(r: random.Random, lo: float, hi: float) -> str:
    return f"{r.uniform(lo, hi):.1f}"


def _two_staff(r: random.Random) -> tuple[str, str]:
    a, b = r.sample(STAFF, 2)
    return a, b


# ---------------------------------------------------------------------------
# 1. 燃脂营 cohort reviews (never cohort 5, 7 or 8)
# ---------------------------------------------------------------------------
CAMP_COHORTS = [2, 3, 4, 6, 9, 10, 11, 12, 13, 14]


def _cohort_date(n: int) -> tuple[int, int]:
    m = 1 + 2 * (n - 1)
    return 2023 + (m - 1) // 12, (m - 1) % 12 + 1


CAMP_GOOD = [
    "开营第一天统一量腰围、拍侧面照存档，结营拿前后对比图，群里晒图的有{shows}多人，比单看体重有说服力。",
    "训练视频控制在{vmin}分钟以内，后台完播率从{vr0}%升到{vr1}%。",
    "每周日晚上8点的周复盘直播保留，只讲这周问得最多的三个问题，平均在线{online}人。",
    "膝盖不好的人开营前单独发了低冲击替换版，这期没有一个人因为膝盖退营。",
    "[9]五人小组继续沿用，组长每周一换，第二周的打卡曲线比较平，没有出现往期那种断崖。",
    "[6]饮食只打卡晚餐，组内互评，助教每天抽评{pics}张，回复基本当天完成。",
    "结营直播只讲结营后怎么继续练，栖身会放在最后二十分钟讲，在线没怎么掉。",
    "[9]开营前的12题自测问卷照发，筛出来{risk}个需要替换动作的人，开营前就把替换版视频发过去了。",
    "加了一个'周三小目标'：每周三只要求走够八千步，不要求训练，那天打卡率反而最高。",
    "助教排班：{s1}白天、{s2}晚上，私信基本两小时内有人回。",
    "开营第一天晚上做了一场20分钟的'怎么用这21天'直播，后面问重复问题的人明显少了。",
]

CAMP_BAD = [
    ("假期冲击",
     "第{w}周撞上{h}，{days}天里打卡人数从{hi}掉到{lo}。放假前我们只发了一条'假期也要练'的公告，"
     "没有给出假期版的简化课表，很多人出门旅游一断就没回来。收假后私聊了一圈，回来的不到一半。"
     "下次遇到长假，提前发一套10分钟的酒店版训练，假期打卡只要求'动了就算'。"),
    ("视频太长",
     "第{w}周的训练视频有两节超过了{vlong}分钟，后台看到大部分人在第{quit}分钟左右退出。"
     "我当时觉得多练一点效果更好，结果是很多人干脆不点开。有学员直接在群里说'看到进度条就不想练了'。"
     "时长这件事已经踩过不止一次了，以后录之前先卡时长。"),
    ("打卡工具故障",
     "第{w}周打卡小程序崩了两天，{broken}多人的记录没保存上，后来{s1}手工补录，补的时候又有人觉得排名不公平，"
     "群里吵了一晚上。以后打卡工具要有备用方案，出问题第一时间发公告，排名这种东西能不做就不做。"),
    ("助教交接",
     "第{w}周{s1}家里有事请假，临时由{s2}一个人顶三个群，晚上的私信积压到第二天中午才回完，"
     "好几个人在群里问'是不是没人管了'。这一周的退群人数是整期最高的。人手一定要有冗余，"
     "至少要有一个人能随时顶上。"),
    ("群里广告",
     "第{w}周有人在群里私加好友卖代餐和减肥茶，被几个学员举报。我们处理慢了一天，"
     "群里的信任感掉得很明显，之后两天发言少了一半。群规要开营第一天就讲清楚，发现一次警告，第二次移出。"),
    ("跳跃动作",
     "第{w}周加了跳跃动作，陆续有{hurt}个人说膝盖或者脚踝不舒服。其实替换动作早就录好了，"
     "但只放在了群文件里，没人看得到。替换动作要放在每节视频的开头讲，而且要讲清楚谁应该做替换版。"),
    ("结营直播太长",
     "结营直播拖了两个半小时，颁奖、答疑、讲栖身会全挤在一起，讲到年卡的时候在线只剩{tail}人。"
     "下次结营的事情拆开做，颁奖提前一天在群里做，直播只讲一件事。"),
    ("饮食打卡太严",
     "这期要求每天记录热量，第{w}周开始很多人说'算热量比练还累'，记录的人从{rec0}降到{rec1}。"
     "对大部分普通人来说，拍晚餐照片就够了，不需要算到个位数。这一条是我拍脑袋加的，下期去掉。"),
    ("[9]分组太晚",
     "分组拖到了开营第三天才完成，前两天大家在大群里不知道找谁，{s1}一个人回了三百多条'我在哪个组'。"
     "分组一定要在开营前一天晚上完成，组长名单同时公布。"),
]

CAMP_NEXT = [
    "长假前提前准备10分钟简化版课表。",
    "每节视频不超过{vmin}分钟，超过的拆成两节。",
    "替换动作放到视频开头，不再放群文件。",
    "打卡工具准备一个备用表单。",
    "开营第一天讲群规，私下卖东西一律移出。",
    "结营直播只讲一件事，颁奖提前一天在群里做。",
    "饮食只打卡晚餐，不要求算热量。",
    "[9]给优秀组长送一次30分钟的体态评估。",
    "助教排班再加一个周末兼职。",
    "第二周第一天晚上加一场15分钟的短直播，专门接住想放弃的人。",
    "[9]分组在开营前一天完成。",
]

CAMP_QUOTES = [
    "'第一次坚持了21天，以前办健身卡从来没去过第三次。'",
    "'腰围小了3厘米，体重没怎么动，但裤子是真的松了。'",
    "[9]'组长每天晚上问我一句，不好意思不练。'",
    "'视频再短一点就好了，下班回家真的很累。'",
    "'希望饮食部分多讲讲外卖怎么点。'",
    "'膝盖不好的替换动作能不能早点发。'",
    "'结营那天看到对比照差点哭了。'",
    "'群消息太多了，能不能把重要的置顶。'",
]

def _for_cohort(items, n):
    """Keep the items a cohort could have had: '[k]…' means 'only from cohort k on'."""
    out = []
    for it in items:
        s = it[0] if isinstance(it, tuple) else it
        k = 0
        if s.startswith("["):
            k, s = int(s[1:s.index("]")]), s[s.index("]") + 1:]
        if n >= k:
            out.append((s,) + it[1:] if isinstance(it, tuple) else s)
    return out


HOLIDAYS = {1: ["元旦", "春节"], 5: ["五一", "端午"], 7: ["暑假"], 9: ["中秋", "国庆"]}


def camp(r: random.Random) -> tuple[str, str]:
    n = _pick(r, CAMP_COHORTS)
    y, m = _cohort_date(n)
    d0 = r.randint(1, 9)
    enroll = r.randint(260, 640)
    rate = r.randint(45, 79)
    done = round(enroll * rate / 100)
    annual = r.randint(18, 130)
    refund = r.randint(1, 9)
    hi = r.randint(enroll * 3 // 4, enroll - 10)
    vr0 = r.randint(35, 55)
    s1, s2 = _two_staff(r)
    fill = dict(shows=r.randint(4, 12) * 10, vmin=r.randint(15, 20), vr0=vr0, vr1=vr0 + r.randint(8, 25),
                online=r.randint(120, 240), pics=r.randint(20, 40), risk=r.randint(8, 26),
                w=r.randint(1, 3), h=_pick(r, HOLIDAYS.get(m, ["假期"])), days=r.randint(3, 8), hi=hi,
                lo=hi - r.randint(60, 140), rec0=r.randint(180, 320), rec1=r.randint(60, 170), vlong=r.randint(25, 35), quit=r.randint(9, 14),
                broken=r.randint(3, 9) * 10, hurt=r.randint(6, 20), tail=r.randint(90, 160), s1=s1, s2=s2)
    long = r.random() < 0.4
    title = _pick(r, [f"# 燃脂21天训练营·第{n}期复盘",
                      f"# 第{n}期燃脂营复盘",
                      f"# 燃脂营{n}期 结营复盘（{y}年{m}月）",
                      f"# 第{n}期燃脂营：结营一周后的复盘"])
    lines = [title, ""]
    lines.append(f"开营 {y}年{m}月{d0}日，结营 {m}月{d0 + 20}日。" +
                 _pick(r, ["写于结营后第三天。", "团队会后整理。", "记录：大橙，林栖补充。", ""]))
    lines.append("")
    lines.append(_pick(r, ["## 一、基本数据", "## 数据", "## 基本情况"]))
    lines.append("")
    lines.append(f"- 报名：{enroll}人，其中唤醒营升上来的{r.randint(enroll // 3, enroll * 2 // 3)}人。")
    lines.append(f"- 完课{done}人，完课率{rate}%。")
    lines.append(f"- 结营体测平均减重{_kg(r, 1.9, 3.8)}kg，腰围平均小了{_kg(r, 2.8, 5.4)}cm。")
    lines.append(_pick(r, [f"- 转栖身会年卡：{annual}人。", f"- 结营后买栖身会年卡的{annual}人。",
                           f"- 栖身会年卡转化{annual}人，约{round(annual * 100 / enroll)}%。"]))
    lines.append(f"- 退款{refund}人。")
    lines.append("")
    if long or r.random() < 0.6:
        lines.append(_pick(r, ["## 二、做对的几件事", "## 做得好的", "## 保留下来的做法"]))
        lines.append("")
        for k, g in enumerate(_some(r, _for_cohort(CAMP_GOOD, n), 2, 5 if long else 3), 1):
            lines.append(f"{k}. " + g.format(**fill))
        lines.append("")
    bads = [b for b in _for_cohort(CAMP_BAD, n) if m in HOLIDAYS or b[0] != "假期冲击"]
    for title_bad, body in _some(r, bads, 2 if long else 1, 3 if long else 2):
        lines.append(f"## 踩的坑：{title_bad}")
        lines.append("")
        lines.append(body.format(**fill))
        lines.append("")
    if long:
        lines.append("## 每天打卡人数")
        lines.append("")
        cur = enroll - r.randint(5, 30)
        row = []
        for day in (1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21):
            row.append(f"第{day}天 {cur}")
            cur = max(done, cur - r.randint(2, max(3, (enroll - done) // 5)))
        lines.append("，".join(row) + "。")
        lines.append("")
        lines.append("## 团队分工")
        lines.append("")
        day_a, night_a = r.sample(["小鹿", "阿槿"], 2)
        lines.append(f"{day_a}负责白天的群答疑和打卡统计，{night_a}负责晚上的私信{'和组长对接' if n >= 9 else '和退款登记'}，大橙负责开营前的物料和结营数据。"
                     f"我自己每天看一遍群里标出来的问题，周日做复盘直播。这期{_pick(r, [day_a, night_a])}的工作量明显偏大，"
                     "下期要重新排。")
        lines.append("")
        lines.append("## 学员反馈摘录")
        lines.append("")
        for q in _some(r, _for_cohort(CAMP_QUOTES, n), 3, 5):
            lines.append("- " + q)
        lines.append("")
    if long or r.random() < 0.5:
        lines.append(_pick(r, ["## 下一期要改的", "## 下期改进", "## 待办"]))
        lines.append("")
        for x in _some(r, _for_cohort(CAMP_NEXT, n), 2, 5):
            lines.append("- " + x.format(**fill))
    return "md", "\n".join(lines)


# ---------------------------------------------------------------------------
# 2. 栖身会 monthly jottings (never March)
# ---------------------------------------------------------------------------
MONTHS = [1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12]

COMMUNITY_BULLETS = [
    "- 人数：月初{p0}，月底{p1}，新进的基本是燃脂营结营转过来的",
    "- {m}月退群{q}个人，{why}",
    "- 周三直播平均在线{on}，回放看的人比直播多，回放要不要剪短一点？",
    "- 早起组（小满带的那个）{e}人左右，每天6点发截图，还是全群最活的小组",
    "- 周末活动：{wk}，周末发言大概{msg}条，{wkc}",
    "- 月度体测只交了{t}份，下个月试试交了体测的抽{z}个人送体态照点评",
    "- 大橙统计会员问得最多的：{topics} → 放进下个月的答疑直播",
    "- 直播时间要不要调？先群里投票，别拍脑袋，上次改时间被骂过",
    "- 搭子配对试了一个月，{bd}对里还在互相监督的有{bd2}对，没坚持下来的多半是两个人作息差太多",
    "- 续费：下个月有{ren}个年卡到期，提前两周一对一私聊，别等到最后一周",
    "- {s1}提醒：群里又有人私下卖代餐，发了一次群规",
    "- 自己的问题：这个月私教占了太多时间，社群长文只发了{lw}篇，下个月至少每周一篇",
    "- 老周这个月连着三次周三直播都在，还主动帮新人解答了几个问题，可以考虑让他当个'老会员顾问'",
    "- 大刘跑完了人生第一个10公里，在群里发了完赛照，刷了一百多条",
    "- 桃子说腰不疼以后开始约同事午休一起走路，想拉她做一次分享",
    "- 新人进群第一周流失最多，要给新人做一个'第一周该干嘛'的置顶",
    "- 月底线下徒步活动报名{hike}人，实际来了{hike2}个，下次要收押金",
    "- 全年课表这个月的主题是{theme}，跟练视频的完播率{fr}%，比上个月{updown}",
    "- 有会员建议每月出一份'外卖怎么点'清单，{s2}说可以试着做",
    "- 周三直播连麦了{guest}，讲{gtopic}，那场回放看的人最多",
    "- 体测数据：交了的人里腰围平均比上个月小了{wd}cm，体重基本持平，这个要在群里讲清楚，别让大家只盯秤",
]

QUIT_REASONS = [
    "大部分说工作太忙没时间练",
    "有几个说周三直播的时间不合适",
    "两个怀孕了，一个搬家，其余没说原因",
    "主要是去年冲动买的年卡，一直没怎么来",
    "有人觉得群消息太多，屏蔽之后就忘了",
]
WEEKEND = ["周六晒步数接龙", "周日晒运动装备", "周末拍一张户外照片", "周六早上一起线上跟练", "周日晚饭前后拍一张餐盘"]
WEEKEND_COMMENT = ["比上个月热闹一点", "还是冷", "主要是早起组在撑", "新人参与得多", "老会员基本不参加"]
TOPICS = ["生理期前体重涨", "膝盖响", "蛋白粉要不要喝", "周末聚餐怎么吃", "久坐腰酸", "小肚子怎么练",
          "产后多久能跑步", "练完酸痛要不要停", "体脂秤准不准", "晚上饿了能吃什么"]
THEMES = ["肩颈放松", "臀腿力量", "核心稳定", "跑步入门", "居家燃脂", "睡前拉伸"]
GUESTS = [("大刘", "第一次跑10公里"), ("桃子", "久坐腰痛怎么缓解"), ("豆豆妈", "带娃怎么挤时间练"),
          ("阿秋", "程序员的颈椎"), ("王姐", "更年期怎么练力量")]


def community(r: random.Random) -> tuple[str, str]:
    m = _pick(r, MONTHS)
    p0 = r.randint(420, 820)
    hike = r.randint(15, 45)
    s1, s2 = _two_staff(r)
    guest, gtopic = _pick(r, GUESTS)
    fill = dict(m=m, p0=p0, p1=p0 + r.randint(-30, 60), q=r.randint(4, 26), why=_pick(r, QUIT_REASONS),
                on=r.randint(90, 190), e=r.randint(18, 55), wk=_pick(r, WEEKEND), msg=r.randint(40, 180),
                wkc=_pick(r, WEEKEND_COMMENT), t=r.randint(120, 300), z=r.randint(5, 20),
                topics="、".join(r.sample(TOPICS, 3)), bd=r.randint(10, 40), bd2=r.randint(3, 9),
                ren=r.randint(30, 120), s1=s1, s2=s2, lw=r.randint(1, 4), hike=hike,
                hike2=hike - r.randint(4, 12), theme=_pick(r, THEMES), fr=r.randint(30, 70),
                updown=_pick(r, ["高一点", "低了不少", "差不多"]), guest=guest, gtopic=gtopic,
                wd=_kg(r, 0.4, 1.6))
    head = _pick(r, [f"{m}月社群复盘 随手记", f"栖身会{m}月 随手记", f"{m}月社群 碎碎念（栖身会）",
                     f"{m}月 栖身会复盘 先记下来"])
    others = COMMUNITY_BULLETS[:1] + COMMUNITY_BULLETS[2:]
    bullets = [COMMUNITY_BULLETS[1]] + _some(r, others, 4, 16)
    r.shuffle(bullets)
    body = [b.format(**fill) for b in bullets]
    return "txt", head + "\n\n" + "\n".join(body) + "\n"


# ---------------------------------------------------------------------------
# 3. student stories (other people; no 二宝 mother, no fatty liver, no 阿禾)
# ---------------------------------------------------------------------------
PROFILES = [
    dict(name="豆豆妈", who="31岁，头胎产后八个月的全职妈妈", issue="肚子松、腰酸，抱孩子久了直不起腰",
         detail="评估时腹直肌分离大概{gap}，骨盆有点前倾",
         life="孩子还在喝夜奶，她每天能睡五个小时就不错了，老公早出晚归，白天基本是她一个人带",
         methods=["前三周只练呼吸和臀桥，卷腹全停", "抱孩子的姿势一起改，换成两边轮流抱",
                  "每天孩子午睡时练15分钟，不追求整套"]),
    dict(name="米粒妈", who="36岁，头胎剖腹产两年，做财务", issue="体重一直没回去，下午腰背特别累",
         detail="站姿照里肩膀往前扣得厉害，骨盆反而是往后倒的",
         life="上班通勤一个半小时，下班回家还要陪孩子写作业，能留给自己的只有睡前那一会儿",
         methods=["午休时做两分钟的靠墙天使", "站着的时候两只脚均匀受力，不再一直压左腿",
                  "晚饭后和孩子一起散步半小时"]),
    dict(name="桃子", who="29岁，平面设计师", issue="久坐腰痛，一天坐十个小时",
         detail="腰痛自评有6分，髋屈肌特别紧",
         life="赶稿的时候经常熬到凌晨两三点，外卖基本是麻辣烫和奶茶",
         methods=["每坐45分钟站起来做一组髋屈肌拉伸", "显示器垫高十厘米", "每天午休走15分钟"]),
    dict(name="阿宁", who="27岁，三甲医院的护士，经常上夜班", issue="夜班之后狂吃，体重两年涨了8公斤",
         detail="问题主要在夜班前后的饮食，完全没有规律",
         life="一个月七八个夜班，下了夜班回家倒头就睡，醒来已经是下午",
         methods=["夜班前吃一顿正经饭，不空着肚子上班", "夜班包里备好无糖酸奶和鸡蛋，不再靠泡面",
                  "下夜班先睡觉，醒了再吃"]),
    dict(name="大刘", who="39岁，汽车销售", issue="啤酒肚，体检尿酸偏高",
         detail="腰围102公分，每周喝酒三到四次",
         life="月底冲业绩的时候天天陪客户，周末也经常在店里",
         methods=["啤酒换成无糖苏打水", "每天下班前在店里的楼梯上下爬十趟", "周末跟着燃脂营的视频练两次"]),
    dict(name="Coco", who="33岁，空乘", issue="膝超伸，站久了膝盖后面疼",
         detail="侧面照里膝盖明显往后顶，小腿后侧很紧",
         life="排班不固定，经常一周有三四天住在外地酒店",
         methods=["站立时膝盖保持一点点弯，不锁死", "单腿站练平衡，每边30秒", "航班间隙在酒店做10分钟的臀部激活"]),
    dict(name="小雨", who="21岁，大学生", issue="圆肩驼背，拍照总是缩着脖子",
         detail="头往前探了大概三指，胸椎很僵",
         life="每天在宿舍床上趴着看手机，一看就是几个小时",
         methods=["每天弹力带做肩胛后缩下沉", "手机举到眼睛的高度看", "泡沫轴放松胸椎"]),
    dict(name="王姐", who="51岁，公司会计，刚进入更年期", issue="体重一年涨了6公斤，晚上睡不好",
         detail="肌肉量偏低，爬三楼就喘",
         life="女儿上大学以后家里就她和老伴，晚饭吃得越来越晚",
         methods=["每周两次弹力带力量训练", "早饭加一个鸡蛋和一杯牛奶", "晚上九点以后不看手机"]),
    dict(name="阿秋", who="35岁，程序员", issue="颈椎不舒服，头前伸",
         detail="侧面照里耳朵已经在肩膀前面一大截",
         life="一天对着电脑十几个小时，周末也基本宅在家里打游戏",
         methods=["每小时做一次收下巴练习", "笔记本电脑配了支架和外接键盘", "每周三次划船类动作"]),
    dict(name="老陈", who="47岁，开了二十年出租车", issue="腰椎不舒服，体重90公斤",
         detail="久坐加上饮食不规律，核心几乎没有力量",
         life="每天在车上坐十个小时，吃饭全靠路边快餐",
         methods=["交班后先做十分钟的猫牛式和臀桥", "车上备一瓶水，少喝甜饮料", "每周两天跟练栖身会的课表"]),
]

STORY_ENTRY = [
    "她是从9.9元唤醒营第{k}轮进来的，七天一天没落下，第七天交的侧面照对比我印象很深",
    "她是被朋友拉进燃脂营第{n}期的，一开始在群里一句话都不说，只默默打卡",
    "她在栖身会潜水了三个月，第一次发言是在周三直播里问问题",
    "她看了直播间的靠墙站测试，当晚就报了唤醒营，第二天就私信问后面该怎么练",
    "她是体态小班第{k2}班的学员，报名时说只是想试试",
    "她是{py}年买的12周私教，之前自己在家跟着视频练了两年，越练越不舒服",
]

STORY_TURN = [
    "第{w}周遇到了出差，整整一周没练，回来以后我们没有补课，直接从当周的内容接着练，也没有批评。",
    "中间有一阵子体重卡住不动，{pron}很着急，我们把关注点换成了腰围和侧面照，焦虑就少了很多。",
    "第{w}周{pron}说想放弃，因为看群里别人瘦得比自己快。我让{s1}把{pron}第一天和这周的侧面照拼在一起发过去，"
    "{pron}看了很久，回了一句'原来我也在变'。",
    "过节回老家吃了一周，回来涨了{gain_kg}公斤，{pron}以为前功尽弃，其实大部分是水，一周后就回落了一大半。",
    "有一次练完第二天腰反而更酸，回看视频发现动作代偿了，后来每个新动作都先交试做视频，我确认了再练。",
    "第{w}周{pron}跟我说，家里人觉得花钱请网上的教练不靠谱。我没多解释，只是把这几周的变化整理成一页纸发给{pron}。",
]

STORY_RESULT = [
    "{months}个月下来，体重少了{x}公斤，腰围少了{y}公分。",
    "结营的时候体重只掉了{x}公斤，但{pron}说最大的变化是{gain}。",
    "现在{pron}已经续了栖身会，每周三的直播基本都在，偶尔还帮新人解答问题。",
    "{months}个月后复测，{pron}的不适自评从{p}分降到了{q}分。",
]
GAINS = ["早上起床腰不酸了", "拍照不再缩脖子了", "爬楼梯不喘了", "终于敢穿贴身的衣服了", "晚上睡得踏实了",
         "抱孩子不再腰疼了", "开会坐一下午也不难受了"]
STORY_MIDDLE = [
    "刚开始那两周{pron}几乎每天都会问我'这样练真的有用吗'。我没有急着给保证，只是让{pron}每周日拍一张侧面照，"
    "自己对比。第三个周日，{pron}主动把两张照片拼在一起发到了群里，那天有二十多个人给{pron}点赞。",
    "{pron}最难的不是训练，是吃。以前{pron}的习惯是白天几乎不吃，晚上一顿吃很多，饿的时候什么都往嘴里塞。"
    "我们先不谈热量，只要求{pron}早餐有蛋白质，下午备一份加餐，这两条做到了，晚上的暴食自己就少了。",
    "有一周{pron}的打卡全是凌晨一点多发的，我问了才知道家里出了点事。那一周我让{pron}把计划减到只剩十分钟的拉伸，"
    "不用拍视频，不用写感受。{pron}后来说，正是因为那一周没有被要求'必须完成'，才没有彻底放弃。",
    "中间我们调过一次计划。原来的安排是每周三次力量，但{pron}的工作根本排不开，坚持了两周就开始漏。"
    "后来改成每周两次力量加每天二十分钟走路，反而再也没漏过。计划不是越满越好，是越能做到越好。",
    "{pron}身边的人一开始都不太支持，觉得'网上的课能有什么用'。后来是同事先发现{pron}站得直了，问{pron}是不是练了什么，"
    "这件事对{pron}的鼓励比我说一百句都管用。",
]

STORY_END = [
    "写这个故事不是为了说多快能瘦，而是想说：先找一个明天就能做到的小改变。",
    "这个案例后来被我讲进了燃脂营的第二周，很多人说'这说的就是我'。",
    "（准备发公众号，发之前再跟本人确认一次化名和配图。）",
    "复盘一句话：别跟学员谈自律，先把门槛降到最低。",
    "我从这个案例里学到的是：学员的生活节奏比训练计划重要，计划要长在生活里。",
]


def story(r: random.Random) -> tuple[str, str]:
    p = _pick(r, PROFILES)
    pron = "他" if p["name"] in ("大刘", "阿秋", "老陈") else "她"
    fill = dict(k=_pick(r, list(range(1, 9)) + list(range(13, 21))), k2=r.randint(1, 16),
                n=_pick(r, CAMP_COHORTS), py=_pick(r, [2023, 2024]),
                w=r.randint(2, 8), pron=pron, s1=_pick(r, STAFF), x=_kg(r, 1.2, 9.5), gain_kg=_kg(r, 1.2, 3.0),
                y=r.randint(3, 13), months=r.randint(2, 10), p=r.randint(5, 8), q=r.randint(1, 4),
                gain=_pick(r, GAINS), gap=_pick(r, ["一指", "一指半", "三指"]))
    md = r.random() < 0.6
    long = r.random() < 0.4
    title = f"学员故事｜{p['name']}，{p['who'].split('，')[0]}，{p['issue'].split('，')[0]}"
    out = [("# " if md else "") + title, ""]
    out.append(f"{p['name']}，{p['who']}。来找我的时候，{pron}最大的困扰是{p['issue']}。"
               + p["detail"].format(**fill) + "。")
    out.append("")
    if long:
        out.append(p["life"].replace("她", pron) + "。所以一开始我就知道，给" + pron +
                   "一套'标准计划'是没用的，得先看" + pron + "一天里到底哪里能挤出时间。")
        out.append("")
    out.append(_pick(r, STORY_ENTRY).format(**fill).replace("她", pron) + "。")
    out.append("")
    if md and r.random() < 0.6:
        out.append("## 我们做了什么")
        out.append("")
    ms = _some(r, p["methods"], 2, 3)
    out.append("我们没有一上来就加量，只做了几件小事：" + "；".join(ms) + "。")
    out.append("")
    for t in _some(r, STORY_TURN, 1, 3 if long else 2):
        out.append(t.format(**fill))
        out.append("")
    if long:
        for t in _some(r, STORY_MIDDLE, 2, 4):
            out.append(t.format(**fill))
            out.append("")
    if md and r.random() < 0.6:
        out.append("## 结果")
        out.append("")
    for t in _some(r, STORY_RESULT, 1, 2):
        out.append(t.format(**fill))
    out.append("")
    if long:
        if md:
            out.append("## 我从这个案例里学到的")
            out.append("")
        for t in _some(r, STORY_END, 2, 3):
            out.append(t)
            out.append("")
    elif r.random() < 0.5:
        out.append(_pick(r, STORY_END))
    return ("md" if md else "txt"), "\n".join(out)


# ---------------------------------------------------------------------------
# 4. livestream reviews (never the June sale)
# ---------------------------------------------------------------------------
EVENTS = [("双11大促", 11, 1, 11), ("38女神节", 3, 5, 8), ("年货节", 1, 5, 20), ("开学季", 9, 1, 10),
          ("周年庆", 10, 15, 25), ("五一", 4, 25, 30), ("双12", 12, 8, 12), ("春季开练", 2, 20, 28),
          ("七夕", 8, 5, 15)]

LIVE_BEST = [
    "转化最好的是带大家现场做靠墙站测试那一段，评论区刷屏'塞进去一个拳头'，唤醒营那十几分钟卖了{burst}多单。",
    "连麦老学员{stu}效果最好，在线人数从{b}涨到{c}，私教咨询多半是这段之后来的。",
    "放前后对比照的那一段停留时间最长，尤其是侧面照，很多人在评论区说'这就是我'。",
    "福袋抽体态评估名额，留人效果不错，但抽完就走的人也不少，净效果一般。",
    "最后一小时的答疑段，问题都集中在产后和久坐腰痛，私教咨询有{d}个是这时候来的。",
    "讲'为什么9块9'那一段，我直接说唤醒营不赚钱，就是想让你先练七天，评论区反而信任感很强。",
]
LIVE_BAD = [
    "开场讲品牌故事太长，在线人数掉了一半才回来。",
    "链接库存设少了，唤醒营卖断了十分钟，评论区一直在问。",
    "投流素材用错了版本，价格和直播间不一样，被人截图质疑。",
    "{s1}在评论区回复太慢，好几个问价格的人没人理就走了。",
    "中间有二十分钟网络卡顿，画面糊了，在线掉到{b}以下。",
    "连麦的学员临时没上线，空了五分钟，只能临时讲了一段答疑。",
    "燃脂营的开营时间没讲清楚，下播后有二十多个人私信问什么时候开始。",
]
LIVE_NEXT = [
    "开场直接做测试，不讲故事。",
    "所有链接提前一天两个人交叉核对。",
    "每小时安排一次连麦，提前一周约好人。",
    "私教只留咨询入口，不在直播间硬推。",
    "投流素材统一由大橙管理，开播前再核对一次。",
    "评论区安排两个人，一个答疑一个回价格。",
    "开营时间、退款规则做成一张图，每半小时挂一次。",
]
LIVE_SCRIPT = [
    "'你不是胖，是站歪了'——这句开场在评论区引起的互动最多。",
    "'先别急着买，先跟我做一遍'——比直接报价格效果好。",
    "'七天后你自己拍一张侧面照对比，没变化找我'——很多人截图了这句。",
    "'我以前在医院康复科，见过太多练伤的人'——讲背景要短，一句就够。",
]


def live(r: random.Random) -> tuple[str, str]:
    ev, m, d_lo, d_hi = _pick(r, EVENTS)
    y = _pick(r, [2023, 2024])
    d = r.randint(d_lo, d_hi)
    wake = r.randint(300, 1800)
    burn = r.randint(30, 280)
    b = r.randint(150, 380)
    fill = dict(burst=r.randint(8, 45) * 10, b=b, c=b + r.randint(120, 300), d=r.randint(3, 15),
                s1=_pick(r, STAFF), stu=_pick(r, ["大刘", "桃子", "老周", "豆豆妈", "阿秋", "Coco"]))
    md = r.random() < 0.7
    long = r.random() < 0.4
    H = (lambda s: "## " + s) if md else (lambda s: "【" + s + "】")
    out = [("# " if md else "") + f"{ev}直播复盘（{y}年{m}月{d}日）", ""]
    out.append(f"主播林栖，场控大橙，{_pick(r, STAFF)}在评论区。时长{r.randint(2, 4)}小时{r.randint(0, 5)}0分。")
    out.append("")
    out.append(H("核心数据"))
    out.append(f"- 场观{r.uniform(0.5, 2.6):.1f}万，最高在线{r.randint(180, 820)}人，平均停留{r.randint(1, 3)}分{r.randint(10, 59)}秒")
    out.append(f"- 9.9元唤醒营{wake}单")
    out.append(_pick(r, [f"- 燃脂营卖了{burn}单", f"- 燃脂营{burn}单（活动价{_pick(r, [299, 329, 349, 369])}元）",
                         f"- 21天燃脂营下单{burn}个"]))
    out.append(f"- 栖身会年卡{r.randint(5, 60)}单，私教咨询{r.randint(6, 30)}人")
    out.append(f"- GMV约{r.uniform(3, 14):.1f}万，投流{r.uniform(0.3, 2):.1f}万")
    out.append("")
    out.append(H("哪段最有效"))
    for x in _some(r, LIVE_BEST, 1, 3 if long else 2):
        out.append(x.format(**fill))
    out.append("")
    if long:
        out.append(H("时间线"))
        on = r.randint(200, 420)
        for hh, what in [("19:30", "开播，先做靠墙站测试"), ("20:00", "讲唤醒营七天安排"),
                         ("20:40", "连麦老学员"), ("21:10", "上燃脂营链接"), ("21:50", "答疑"),
                         ("22:30", "福袋和收尾")]:
            on = max(120, on + r.randint(-120, 150))
            out.append(f"- {hh} {what}，在线约{on}人")
        out.append("")
        out.append(H("有用的话术"))
        for x in _some(r, LIVE_SCRIPT, 2, 3):
            out.append("- " + x)
        out.append("")
    out.append(H("翻车"))
    for x in _some(r, LIVE_BAD, 1, 3):
        out.append("- " + x.format(**fill))
    if long or r.random() < 0.6:
        out.append("")
        out.append(H("下次怎么播"))
        for k, x in enumerate(_some(r, LIVE_NEXT, 2, 4), 1):
            out.append(f"{k}. {x}")
    return ("md" if md else "txt"), "\n".join(out)


# ---------------------------------------------------------------------------
# 5. private-coaching reviews of other periods (other phase names, other refunds)
# ---------------------------------------------------------------------------
PERIODS = ["2023下半年", "2024下半年", "2025上半年", "2023年第二季度", "2024年第四季度"]
PHASES = [
    ["第1-3周：评估和动作学习", "第4-8周：力量打底", "第9-12周：独立训练和毕业计划"],
    ["阶段一：找回呼吸和核心控制", "阶段二：开始加负重", "阶段三：自己排课"],
    ["前两周：只做评估和记录", "第3-10周：主训练期", "最后两周：减量和复测"],
    ["第1-6周：体态打底", "第7-12周：减脂和体能"],
]
PHASE_BODY = [
    "每周一次视频课，其余时间学员自己练、发视频，我48小时内回复。",
    "每个新动作先交10秒试做视频，确认了才加重量。",
    "这一段最常见的问题是学员想快，总想加量，我要做的主要是踩刹车。",
    "重点是动作质量，不追重量，膝盖内扣、塌腰没解决前不加。",
    "学员自己写一周计划，我只改错，最后交一份结课后三个月的计划。",
    "饮食上只记录不控制，先看清楚自己吃了什么。",
    "每两周复拍一次侧面照，和第一周的放在一起看。",
    "这一段开始每周固定两次力量、一次有氧，有氧以快走和跑走结合为主。",
]
REFUNDS = [
    ("小琳", "第{w}周发现怀孕了，按规则暂停，后来决定不练了"),
    ("阿May", "公司外派去新加坡，时差太大没法上视频课"),
    ("周姐", "家里老人住院，要长期陪护"),
    ("Kiki", "第{w}周说效果太慢，觉得不值"),
    ("老杨", "换了工作天天加班，三周没交一次视频"),
]
COACH_STUDENTS = [
    "桃子｜平面设计师｜久坐腰痛｜腰痛自评明显下降",
    "大刘｜汽车销售｜减脂｜减了{a}公斤，续费",
    "豆豆妈｜头胎产后｜核心恢复｜续了栖身会",
    "阿秋｜程序员｜颈椎、头前伸｜工位改造后基本不疼",
    "王姐｜会计｜更年期增重｜力量明显上来了",
    "Coco｜空乘｜膝超伸｜站立时不再锁膝",
    "米粒妈｜财务｜腰背累｜体重回到孕前",
]


def coaching(r: random.Random) -> tuple[str, str]:
    per = _pick(r, PERIODS)
    new = r.randint(6, 20)
    ren = r.randint(2, 12)
    price = _pick(r, [6800, 7200, 6500])
    md = r.random() < 0.8
    long = r.random() < 0.4
    H = (lambda s: "## " + s) if md else (lambda s: s)
    out = [("# " if md else "") + _pick(r, [f"12周1对1私教｜{per}复盘", f"私教交付复盘（{per}）",
                                           f"{per} 私教小结"]), ""]
    out.append(f"整理：林栖。{_pick(r, STAFF)}补充了学员视频的数据。")
    out.append("")
    out.append(H("成交概况"))
    out.append(f"这段时间私教成交{new + ren}单，新签{new}单、续费{ren}单，新签价{price}元。"
               f"新签里从燃脂营来的{r.randint(1, new)}个，其余来自栖身会和直播间。")
    out.append("")
    for ph in _pick(r, PHASES):
        out.append(H(ph))
        out.append(" ".join(_some(r, PHASE_BODY, 1, 3 if long else 2)))
        out.append("")
    if r.random() < 0.8:
        who, why = _pick(r, REFUNDS)
        amt = _pick(r, [x for x in range(1800, 5700, 100) if x != 3400])
        out.append(H("退费和延期"))
        out.append(f"{who}：{why.format(w=r.randint(2, 9))}。" +
                   _pick(r, [f"最后退了{amt}元，课时明细也发过去了。", f"协商后退款{amt}元。",
                             "没有退费，改成延期半年。"]))
        out.append("")
    if long:
        out.append(H("交付里的小细节"))
        for x in _some(r, [
            "每次视频课开头先问一句这周睡得怎么样、工作忙不忙，再决定当天练多少，比照着计划硬练效果好。",
            "学员发来的视频，回复里至少要有一句具体的肯定，再说要改的地方，只挑错的回复学员会越来越不想发。",
            "每个学员档案里都有一栏'低谷期最小动作'，状态差的时候只做这一项，提前约好。",
            "男学员普遍想快，女学员普遍怕练粗，开课第一周就要把这两个担心讲清楚。",
            "第6周左右是最容易松的时候，这一周我会主动约一次额外的15分钟通话。",
        ], 2, 4):
            out.append(x)
            out.append("")
        out.append(H("学员一览"))
        for x in _some(r, COACH_STUDENTS, 3, 5):
            out.append("- " + x.format(a=_kg(r, 4, 11)))
        out.append("")
    if long or r.random() < 0.5:
        out.append(H("下一阶段要改的"))
        for x in _some(r, ["签约前问清楚未来三个月的工作强度。", "每个学员每月写一件高光时刻。",
                            "续费价调整，老带新各减500。", "加重量每周不超过上周的10%。",
                            "视频回复改成24小时内。", "结课前一周做一次复测，对比第一周的侧面照。"], 2, 4):
            out.append("- " + x)
    return ("md" if md else "txt"), "\n".join(out)


# ---------------------------------------------------------------------------
# 6. Q&A live transcripts (never April, never the plateau question)
# ---------------------------------------------------------------------------
QA = [
    ("生理期前一周体重涨一两斤正常吗？",
     "正常，多半是水。激素变化会让身体存水，对比体重的时候用同一个周期的同一天，"
     "比如每次月经结束后第三天称一次。这一周想吃甜的也正常，给自己留一点。"),
    ("跑步的时候膝盖咔咔响，要不要停？",
     "只响不疼一般问题不大。疼、肿、卡住，有一个就先停，去医院。平时多练臀中肌，侧卧抬腿、弹力带侧向走，"
     "可以拍一段跑步视频给我看看膝盖有没有往里扣。"),
    ("蛋白粉要不要买？",
     "先算一天吃了多少蛋白质，每公斤体重1.2到1.6克。鸡蛋、牛奶、肉、豆腐够了就不用买，"
     "别买那种加了一堆东西的减肥奶昔。"),
    ("周末聚餐吃多了，周一要不要饿一天？",
     "不要。饿一天的结果通常是第二天吃得更多。周一正常吃三顿，多喝水多走路，训练照常。一顿饭吃不胖人。"),
    ("早上空腹练可以吗？",
     "低强度的可以，比如快走和拉伸。力量训练之前最好吃一点，半根香蕉或者一杯牛奶，不然容易头晕。"),
    ("顺产三个月了，什么时候可以开始跑步？",
     "先别急着跑。先做盆底和腹部的评估，能稳定做单腿站和单腿臀桥，没有漏尿，再从快走开始，然后跑走结合。"),
    ("练完第二天特别酸，还要接着练吗？",
     "酸可以练别的部位，或者做低强度的活动，走走路拉伸一下。刺痛、关节疼就要停，别硬扛。"),
    ("体脂秤准不准？",
     "绝对数不准，趋势可以参考。固定时间、固定状态去称，看一个月的变化，别看一天的。"),
    ("晚上九点以后饿了能吃东西吗？",
     "能。一杯牛奶或者无糖酸奶，比饿着睡不着强，饿着睡第二天往往吃得更多。"),
    ("小肚子怎么练，是不是多做卷腹？",
     "卷腹解决不了小肚子。先看呼吸和骨盆位置，很多人的小肚子是站姿和核心控制的问题，不全是脂肪。"),
    ("久坐腰酸，下午特别明显怎么办？",
     "每坐45分钟站起来，做一组髋屈肌拉伸和几个臀桥。椅子和屏幕高度也要调，脚要能踩实地面。"),
    ("要不要完全戒糖？",
     "不用完全戒。先把含糖饮料换掉，这一条就能解决大部分问题，剩下的甜食控制一下量就行。"),
    ("跟练视频太难了，跟不上怎么办？",
     "先做每个动作的简化版，视频里都有。跟不上节奏就暂停，宁可慢一点也别乱做，动作对了再加速度。"),
    ("外卖怎么点比较好？",
     "先看有没有一份完整的蔬菜，再看蛋白质，主食要一份就够。汤和酱料少一点，饮料换成无糖的。"),
]
ASKERS = ["会员桃子", "会员豆豆妈", "会员小雨", "会员王姐", "会员Coco", "会员阿秋", "会员米粒妈", "新会员"]


def qa(r: random.Random) -> tuple[str, str]:
    m = _pick(r, [1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12])
    d = r.randint(1, 28)
    head = _pick(r, [f"{m}月答疑直播文字稿（栖身会周三场）", f"栖身会{m}月{d}日答疑 文字整理",
                     f"{m}月周三答疑直播 问答整理"])
    out = [head, f"时间：{_pick(r, [2023, 2024, 2025])}年{m}月{d}日 21:30　整理：{_pick(r, STAFF)}", ""]
    for k, (q, a) in enumerate(_some(r, QA, 2, 9), 1):
        asker = _pick(r, ASKERS)
        out.append(f"问{k}（{asker}）：{q}" if r.random() < 0.6 else f"问{k}：{q}")
        out.append("")
        out.append("林栖：" + a)
        out.append("")
    out.append(f"（本场最高在线{r.randint(80, 200)}人。下周三主题：{_pick(r, ['久坐族的肩颈', '产后腹部', '跑步入门', '饭局怎么吃', '睡前拉伸'])}。）")
    return "txt", "\n".join(out)


# ---------------------------------------------------------------------------
# 7. 9.9 wake-up camp rounds (never rounds 9-12, no day-by-day themes)
# ---------------------------------------------------------------------------
WAKE_ROUNDS = list(range(1, 9)) + list(range(13, 21))
WAKE_FINDINGS = [
    "完成7天的人转化率是没完成的五六倍，真正要抓的是练完。",
    "第4天掉人最多，助教晚上私聊没打卡的人，只问一句'卡在哪了'，效果不错。",
    "第一天没交侧面照的人基本不会转燃脂营。",
    "前后对比照回复得越具体，转化越好。",
    "早鸟价48小时比24小时转化高，但退款也多了几单。",
    "长假那一轮完成率明显低，以后长假改成5天版。",
    "结营直播前半段只讲'七天之后怎么自己练'，后半段再讲燃脂营，在线掉得少。",
    "直播间直接拍399的燃脂营转化太低，唤醒营这一步省不掉。",
    "投流进来的人完成率比自然流量低一截，但转化率差不多。",
    "群里晒对比照的人，转燃脂营的比例是不晒的两倍多。",
]


def wakeup(r: random.Random) -> tuple[str, str]:
    k = _pick(r, WAKE_ROUNDS)
    y = 2023 if k <= 8 else 2024
    enroll = r.randint(380, 1500)
    finish = round(enroll * r.uniform(0.45, 0.68))
    conv = round(enroll * r.uniform(0.04, 0.11))
    md = r.random() < 0.7
    long = r.random() < 0.4
    H = (lambda s: "## " + s) if md else (lambda s: s + "：")
    out = [("# " if md else "") + _pick(r, [f"9.9元唤醒营第{k}轮复盘", f"唤醒营第{k}轮 转化复盘（{y}年）",
                                           f"体态唤醒营第{k}轮小结"]), ""]
    out.append(f"本轮报名{enroll}人，完成7天{finish}人，转燃脂营{conv}人，转化率{conv * 100 / enroll:.1f}%。"
               f"课表{_pick(r, ['和上一轮一样', '没有改动', '只换了第六天的串联视频'])}。")
    out.append("")
    if long:
        out.append(H("每天打卡人数"))
        cur = enroll
        row = []
        for day in range(1, 8):
            cur = max(finish, cur - r.randint(20, max(21, (enroll - finish) // 3)))
            row.append(f"Day{day} {cur}人")
        out.append("，".join(row) + "。")
        out.append("")
    if long:
        out.append(H("这一轮改了什么"))
        out.append(_pick(r, [
            "这一轮把每天的讲解从5分钟压到2分钟，跟练放在最前面，打开就能练。结果完成率比上一轮高了几个点，"
            "但问'为什么练这个'的人也多了，下一轮在群里补一段文字版。",
            "这一轮开始第一天要求交侧面照，不交照片的人助教第二天会私聊提醒一次。交了照片的人后面几天的打卡明显更稳。",
            "这一轮试了投流，进来的人多了将近一倍，但很多人进群就没说过话。投流带来的人要更早拉进小组，不然很快就沉了。",
        ]))
        out.append("")
    out.append(H("第七天"))
    out.append(_pick(r, [
        f"结营直播在线最高{r.randint(120, 500)}人，燃脂营早鸟价{_pick(r, [269, 299, 329])}元，48小时。",
        f"白天助教回复前后对比照，{_pick(r, STAFF)}一个人回了{r.randint(150, 600)}张。晚上直播讲燃脂营。",
        "这一轮结营直播放在了周五晚上，在线比周日少了三成，下次还是放周日。",
    ]))
    out.append("")
    out.append(H("发现"))
    for x in _some(r, WAKE_FINDINGS, 2, 5 if long else 3):
        out.append("- " + x)
    return ("md" if md else "txt"), "\n".join(out)


# ---------------------------------------------------------------------------
# 8. posture small-class reviews (no intake materials, no 阿禾)
# ---------------------------------------------------------------------------
POSTURE_CASES = [
    "{nm}，{job}，圆肩驼背，第{w}周说拍照终于不缩脖子了。",
    "{nm}，{job}，骨盆前倾，第{w}周发现以前穿着勒的裤子松了。",
    "{nm}，{job}，膝超伸，第{w}周站一天下来膝盖后面不再疼。",
    "{nm}，{job}，高低肩，第{w}周说包带终于不老往下滑了。",
    "{nm}，{job}，头前伸，第{w}周家里人说她看手机的时候脖子没那么往前了。",
]
POSTURE_NAMES = ["小葵", "阿珂", "Lily", "晓晓", "琪琪", "阿芸", "小鱼", "Mandy"]
POSTURE_JOBS = ["牙医", "会计", "客服主管", "瑜伽爱好者", "银行柜员", "产品经理", "护士", "电商运营"]
POSTURE_WEEKS = [
    "第1-2周主要是呼吸和放松，很多人第一次发现自己一直耸着肩。",
    "第3-4周加了弹力带，肩胛和臀部的激活是重点。",
    "第5-6周开始做站立位的整合动作，单腿站、分腿蹲。",
    "第7-8周让学员自己串一套15分钟的日常流程，结课后能自己做。",
]
POSTURE_PROBLEMS = [
    "第三周有两个人练完腰更酸，回看视频是骨盆后倾做成了塌腰拱背，助教初筛没看出来，以后新动作先交试做视频。",
    "每两周的复拍照片只交了{re}份，要提前一天提醒。",
    "周作业视频太多，我一个人复核到半夜，下一班要把初筛标准写清楚给助教。",
    "有学员想插班，没同意，20人是上限。",
    "有三个人同时报了燃脂营，两边的动作冲突，下次报名时要问清楚。",
]


def posture(r: random.Random) -> tuple[str, str]:
    k = r.randint(1, 16)
    renew = r.randint(11, 19)
    dirs = [r.randint(2, 9) for _ in range(4)]
    md = r.random() < 0.75
    long = r.random() < 0.4
    H = (lambda s: "## " + s) if md else (lambda s: s)
    out = [("# " if md else "") + _pick(r, [f"体态小班第{k}班 结课复盘", f"8周体态矫正小班·第{k}班复盘",
                                           f"小班课第{k}班小结"]), ""]
    out.append(f"本班20人，按方向分：圆肩驼背{dirs[0]}人、骨盆前倾{dirs[1]}人、高低肩{dirs[2]}人、膝超伸{dirs[3]}人"
               f"（有人两个方向都有）。结课后续报下一阶段{renew}人。")
    out.append("")
    if long:
        out.append(H("八周节奏"))
        for x in POSTURE_WEEKS:
            out.append("- " + x)
        out.append("")
    out.append(H("这一班的变化"))
    for c in _some(r, POSTURE_CASES, 1, 4 if long else 2):
        out.append("- " + c.format(nm=_pick(r, POSTURE_NAMES), job=_pick(r, POSTURE_JOBS), w=r.randint(3, 8)))
    out.append("")
    if long:
        nm, job = _pick(r, POSTURE_NAMES), _pick(r, POSTURE_JOBS)
        out.append(H(f"{nm}的八周"))
        out.append(f"{nm}是{job}，报名时说自己'坐着坐着就缩成一团'。评估下来是圆肩加头前伸，胸椎很僵。前两周她几乎没感觉，"
                   f"第三周开始说肩膀没那么酸了，第{r.randint(4, 8)}周她自己拍了一张对比照发在群里，"
                   "肩膀的位置往后回了一大截。她说最大的收获不是体态，是知道了累的时候该做什么动作。"
                   "结课后她续报了下一阶段，还拉了一个同事一起报名。")
        out.append("")
    out.append(H("问题"))
    for x in _some(r, POSTURE_PROBLEMS, 1, 3 if long else 1):
        out.append(x.format(re=r.randint(8, 16)))
    if long or r.random() < 0.6:
        out.append("")
        out.append(H("下一班"))
        out.append(_pick(r, ["评估表格标准化，助教先填，我再看。", "加一节线下的工作室体验课。",
                             "结课直播讲'自己怎么继续练'，续报放在最后。"]))
    return ("md" if md else "txt"), "\n".join(out)


# ---------------------------------------------------------------------------
# appended musings (any family, sometimes): the creator's loose afterthoughts
# ---------------------------------------------------------------------------
REFLECTIONS = [
    "这几期带下来越来越确定一件事：普通人减脂最大的敌人不是懒，是'全有或全无'。一天没练就觉得前功尽弃，"
    "一顿吃多了就干脆放开吃。我们能做的，是把中间状态设计出来：状态好的时候练整套，状态差的时候练十分钟，"
    "最差的时候出门走走路也算数。",
    "团队这边，小鹿已经从助教慢慢变成了半个教练，很多动作问题她看得比我还细。阿槿是兼职，晚上的回复质量很稳定。"
    "大橙管数据和物料，最近在学剪视频。人少的好处是沟通快，坏处是谁请假都会出事。",
    "关于定价：燃脂营399一直没涨，很多同行说太便宜。我的想法是，燃脂营是让人第一次体验'坚持下来'的地方，"
    "门槛不能高。真正撑起收入的是后面的栖身会和私教，但前提是燃脂营的体验足够好。",
    "关于内容：这段时间发的视频里，播放最高的还是测试类的，讲原理的视频播放很低但是涨粉很稳。"
    "以后每周至少一条测试类、一条学员案例类，原理类放在直播里讲。",
    "关于私教名额：我一个人最多同时带十二个私教学员，超过这个数回复质量就会掉。宁可让人排队，"
    "也不要为了多收一单把已经在练的人耽误了。",
    "最近有好几个学员问要不要去办健身卡。我的回答一直是：先在家把基础动作练对，至少能稳定练满一个月，再去办卡。"
    "办了卡不去的人，比不办卡的人更容易放弃，因为多了一份愧疚。",
    "体测这件事要反复讲：体重只是一个数，腰围、侧面照、爬楼梯喘不喘，这些才是普通人能感受到的变化。"
    "每次结营都有人因为体重只掉了一两斤而失望，但她的腰围其实小了好几厘米。",
    "产后的学员越来越多，差不多占到三分之一。这部分人不能直接套燃脂营的课表，必须先问清楚产后多久、"
    "有没有漏尿、有没有做过盆底评估。这块的替换动作还要再录一套更完整的。",
    "复盘写多了发现，每次出问题几乎都是同一类原因：人手不够、规则不清、节奏太快。下次开营前把这三条当成检查清单过一遍。",
    "有学员在群里说'林老师的课很温柔'，我想了很久这句话。温柔不是降低要求，是在她做不到的时候，给一个还能做到的版本。",
    "工作室这边，线下的体态私教单节680元，一周只开三个下午。线上和线下的学员需求很不一样，线下的人更在意'被摸到'，"
    "线上的人更在意'被看到'，回复的及时比什么都重要。",
]


FAMILIES = [camp, community, story, live, coaching, qa, wakeup, posture]


def make(r: random.Random, i: int) -> tuple[str, str]:
    family = FAMILIES[i % len(FAMILIES)]
    for _ in range(200):
        ext, text = family(r)
        if r.random() < 0.35:
            head = "## 随手补充" if ext == "md" else "补记："
            text = text.rstrip() + "\n\n" + head + "\n\n" + "\n\n".join(_some(r, REFLECTIONS, 2, 7)) + "\n"
        s = _sq(text)
        if not any(a in s for a in _FORBIDDEN_SQ):
            return f"d-fitness-{i:04d}.{ext}", text
    raise RuntimeError("could not generate a clean distractor")
