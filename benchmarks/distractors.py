"""Distractor notes for the retrieval benchmark: the demo knowledge's topics,
written again with other cohorts, other accounts, other students and other
numbers, so a retriever has to find *the* note that answers a question, not
just a note about the same thing.

Deterministic for a seed. ``write_distractors(folder, n, seed)`` writes
``n`` Markdown notes and returns their paths.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

STUDENTS = ["小林", "阿梅", "老王", "Coco", "小唐", "大鹏", "Lily", "阿哲", "小贝", "老许", "Vivian",
            "小冉", "阿豪", "静静", "Tony", "小乔", "老郑", "Mia", "阿远", "小禾"]
JOBS = ["财务经理", "瑜伽老师", "插画师", "心理咨询师", "会计", "烘焙店主", "英语老师", "摄影师",
        "律师助理", "营养师", "面试辅导", "PPT设计师", "花艺师", "程序员", "茶艺师", "钢琴老师"]
PLATFORMS = ["小红书", "抖音", "视频号", "公众号"]
NEXT = ["下个月先把数据表格整理好。", "继续保持更新节奏，不追热点。", "把这次的做法写成SOP给助理。",
        "找三位老学员聊聊他们的真实感受。", "先停一停，想清楚产品定位再说。", "下次提前两周预热。",
        "把失败的地方也公开讲出来。", "和同行交换一次复盘。", "预算砍一半，看效果会不会掉。",
        "把问得最多的问题做成一篇笔记。"]
MONTHS = ["1月", "2月", "3月", "4月", "5月", "7月", "8月", "9月", "10月", "12月"]


def _date(r: random.Random) -> str:
    return f"20{r.choice([23, 24, 26])}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"


def _note(r: random.Random, title: str, kind: str, sections: list[tuple[str, list[str]]]) -> str:
    """A note in the demo notes' shape: title, date line, sections of sentences
    picked from pools (2–4 per section), so no two notes read alike."""
    out = [f"# {title}", "", f"日期：{_date(r)}　类型：{kind}", ""]
    for heading, pool in sections:
        picked = r.sample(pool, k=min(len(pool), r.randint(3, 5)))
        out += [f"## {heading}", "", "".join(picked), ""]
    out += ["## 下一步", "", "".join(r.sample(NEXT, k=3)), ""]
    return "\n".join(out)


def _xhs(r: random.Random) -> str:
    fans = round(r.uniform(0.4, 6.5), 1)
    months = r.randint(2, 9)
    posts = r.randint(30, 160)
    likes = r.randint(2, 30) * 100
    who = r.choice(["第二个账号", "学员" + r.choice(STUDENTS) + "的账号", "团队的职场号", "去年试的生活号"])
    return _note(r, f"{who}复盘：小红书{months}个月{posts}篇笔记，{fans}万粉", "复盘", [
        ("数据", [f"{who}用{months}个月做到{fans}万粉。", f"一共发了{posts}篇笔记。",
                  f"单篇平均点赞{r.randint(20, 400)}。", f"爆文点赞{likes}，收藏{r.randint(2, 50) * 100}。",
                  f"投流花了{r.randint(0, 60) * 100}元。", f"主页访客{r.randint(5, 90)}千。"]),
        ("做法", ["封面统一成大字报风格。", "选题只写职场新人的具体问题。", "评论区每条都回。",
                  "标题里放一个具体数字。", "每周固定三天更新。", "把爆款选题改写成系列。"]),
    ])


def _douyin(r: random.Random) -> str:
    days = r.choice([14, 21, 30, 45, 60])
    fans = r.randint(10, 180) * 100
    return _note(r, f"抖音口播{r.choice(['第二轮', '换人出镜', '换选题', '加字幕'])}复盘：{days}天涨粉{fans}", "复盘", [
        ("数据", [f"{days}天涨粉{fans}。", f"平均完播率{r.randint(8, 45)}%。",
                  f"3秒留存{r.randint(30, 70)}%。", f"发了{r.randint(15, 60)}条视频。",
                  f"最好的一条播放{r.randint(3, 90)}万。", f"平均时长{r.randint(30, 120)}秒。"]),
        ("改动", ["换了更亮的补光灯。", "每条只讲一个观点。", "结尾加了评论引导。",
                  "口播稿先写再录。", "背景换成书架。", "加了大字幕。"]),
    ])


def _funnel(r: random.Random) -> str:
    visitors = r.randint(20, 120) * 1000
    star = r.randint(8, 90)
    return _note(r, f"{r.choice(['第二季度', '团队版', '视频号'])}私域漏斗：{visitors}访客到{star}人报名", "复盘", [
        ("漏斗", [f"主页访客{visitors}。", f"加微信{r.randint(300, 4000)}人。",
                  f"买引流品{r.randint(60, 900)}人。", f"报名正式课{star}人。",
                  f"整体转化{round(r.uniform(0.5, 6), 1)}%。", f"私聊了{r.randint(40, 300)}人。"]),
        ("问题", ["引流品和正式课衔接太弱。", "朋友圈更新断了两周。", "私聊话术太像销售。",
                  "群里答疑不及时。", "报名页信息太多。"]),
    ])


def _camp(r: random.Random) -> str:
    price = r.choice([9.9, 19.9, 29, 49])
    periods = r.randint(2, 9)
    sold = r.randint(200, 3000)
    return _note(r, f"{price}元{r.choice(['5天', '7天', '10天', '14天'])}{r.choice(['抖音', '视频号', '朋友圈', '公众号'])}训练营：{periods}期卖出{sold}份", "复盘", [
        ("数据", [f"{periods}期卖出{sold}份。", f"完课率{r.randint(20, 60)}%。",
                  f"升级正式课{round(r.uniform(3, 25), 1)}%。", f"退款{r.randint(1, 30)}份。",
                  f"每期{r.randint(80, 600)}人。", f"广告费{r.randint(10, 90) * 100}元。"]),
        ("交付", ["每天一节录播课。", "结营时发一份作业合集。", "群里每天早上发任务。",
                  "优秀作业做成案例分享。", "最后一天做直播答疑。"]),
    ])


def _live(r: random.Random) -> str:
    cohort = r.choice([1, 2, 4, 5, 6, 7, 8, 9])
    peak = r.randint(60, 1500)
    orders = r.randint(5, 120)
    price = r.choice([699, 999, 1299, 1999, 2999])
    return _note(r, f"实战营第{cohort}期招生直播复盘：在线峰值{peak}人，成交{orders}单", "复盘", [
        ("数据", [f"时长{r.choice([60, 75, 90, 120, 150])}分钟。", f"累计观看{peak * r.randint(5, 12)}人次。",
                  f"在线峰值{peak}人。", f"成交{orders}单，每单{price}元。",
                  f"GMV {orders * price}元。", f"平均停留{r.randint(3, 15)}分钟。"]),
        ("复盘", ["连麦太少，互动不够。", "产品介绍放得太晚。", "PPT字太小看不清。",
                  "助理在评论区回复太慢。", "收尾时没有再讲一遍适合谁。"]),
    ])


def _student(r: random.Random) -> str:
    name = r.choice(STUDENTS)
    job = r.choice(JOBS)
    fans = r.randint(5, 90) * 100
    orders = r.randint(3, 40)
    price = r.choice([99, 199, 299, 499, 880, 1200])
    return _note(r, f"学员案例：{name}（{job}）{fans}粉，接了{orders}单", "学员案例", [
        ("结果", [f"{name}是第{r.randint(1, 9)}期学员。", f"做{job}{r.randint(2, 12)}年。",
                  f"{r.randint(2, 6)}个月做到{fans}粉。", f"接了{orders}单，每单{price}元。",
                  f"收入{orders * price}元。", f"微信好友加到{r.randint(300, 3000)}人。"]),
        ("做法", ["每周写两篇行业问答。", "先给老客户做免费体验。", "把服务拆成三个价位。",
                  "朋友圈每天晒一个交付细节。", "请满意的客户写评价。"]),
    ])


def _moments(r: random.Random) -> str:
    days = r.choice([30, 45, 60, 90])
    posts = r.randint(60, 400)
    return _note(r, f"朋友圈{days}天实验：{posts}条朋友圈", "复盘", [
        ("数据", [f"{days}天发了{posts}条朋友圈。", f"干货占{r.randint(20, 50)}%。",
                  f"带来私聊咨询{r.randint(40, 500)}次。", f"成交{r.randint(1, 20)}单。",
                  f"好友从{r.randint(500, 3000)}人涨到{r.randint(3000, 6000)}人。"]),
        ("发现", ["早上发的干货点赞最多。", "配图用真实截图更可信。", "纯广告几乎没人理。",
                  "长文案要把结论放第一句。", "节日问候没什么用。"]),
    ])


def _community(r: random.Random) -> str:
    rate = r.randint(12, 55)
    return _note(r, f"社群运营复盘：{r.choice(['第5期', '第6期', '校友群', '训练营群'])}复购率{rate}%", "复盘", [
        ("数据", [f"群里{r.randint(80, 400)}人。", f"周活跃率{r.randint(20, 90)}%。",
                  f"复购率{rate}%。", f"续费{r.randint(5, 90)}人。", f"复训费{r.choice([399, 499, 699, 999])}元。"]),
        ("做法", ["每周一次主题分享。", "群公告只放三条规则。", "优秀作业每周评选。",
                  "新人进群先做自我介绍。", "每月一次线下聚会。"]),
    ])


def _diagnosis(r: random.Random) -> str:
    price = r.choice([2800, 3800, 4800, 8800, 12000])
    hours = r.randint(6, 30)
    return _note(r, f"一对一{r.choice(['账号诊断', '课程设计咨询', '社群诊断'])}：{price}元的交付复盘", "复盘", [
        ("数据", [f"一共做了{r.randint(4, 40)}位客户。", f"每位投入约{hours}小时。",
                  f"折算时薪{price // hours}元。", f"满意度{round(r.uniform(3.5, 5), 1)}分。",
                  f"转介绍{r.randint(0, 9)}位。"]),
        ("流程", ["会前发一份问卷。", "会后三天内交方案。", "方案附一张执行清单。",
                  "每周微信跟进一次。", "第二次会议看数据。"]),
    ])


def _failure(r: random.Random) -> str:
    price = r.choice([199, 299, 499, 599, 799])
    target = r.randint(100, 600)
    sold = r.randint(10, target // 2)
    return _note(r, f"失败复盘：{price}元{r.choice(['短视频脚本课', '直播话术小课', '社群运营课', '个人品牌课'])}", "复盘", [
        ("数据", [f"目标{target}份，卖出{sold}份。", f"预售{r.randint(5, 20)}天。",
                  f"退款{r.randint(1, 9)}份。", f"营收{sold * price}元。"]),
        ("原因", ["定价太高。", "宣传期太短。", "课程名字太长。", "赶上了节假日。",
                  "没有提前预热。", "目标人群写得太宽。"]),
    ])


def _article(r: random.Random) -> str:
    reads = r.randint(2, 30)
    return _note(r, f"公众号长文复盘：{reads}万阅读的{r.choice(['私域清单', '职场复盘', '定价方法', '社群SOP'])}", "复盘", [
        ("数据", [f"{reads}万阅读。", f"写了{r.randint(2, 12)}天。", f"转发{r.randint(3, 90) * 100}次。",
                  f"新增关注{r.randint(5, 60) * 100}。", f"加微信{r.randint(50, 900)}人。"]),
        ("写法", ["开头先讲一个失败。", "每节一个小标题。", "结尾放一张清单图。",
                  "全文不超过四千字。", "标题改了十几遍。"]),
    ])


def _pricing(r: random.Random) -> str:
    a, b = sorted(r.sample([499, 699, 999, 1299, 1999, 2999, 3999], 2))
    return _note(r, f"价格实验：{a}元和{b}元两个版本", "实验", [
        ("数据", [f"{r.randint(200, 3000)}位访客分两组。", f"{a}元版本转化{round(r.uniform(1, 8), 1)}%。",
                  f"{b}元版本转化{round(r.uniform(1, 8), 1)}%。", f"实验跑了{r.randint(7, 30)}天。"]),
        ("结论", ["高价版本退款更少。", "低价版本咨询更多。", "价格差距不宜太大。",
                  "页面上只放一个价格更好。"]),
    ])


TEMPLATES: list[Callable[[random.Random], str]] = [
    _xhs, _douyin, _funnel, _camp, _live, _student, _moments, _community, _diagnosis,
    _failure, _article, _pricing,
]


def write_distractors(folder: Path, n: int, seed: int = 7) -> list[Path]:
    r = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        text = TEMPLATES[i % len(TEMPLATES)](r)
        p = folder / f"d{i:05d}.md"
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths
