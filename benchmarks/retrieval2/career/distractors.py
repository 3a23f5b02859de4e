"""Near-duplicate distractor notes for the career niche (岚姐聊职场 / 林岚).

make(r, i) -> (file name, text). Same creator, same products (9.9元简历急救包,
1299元转行突围营, 一对一求职陪跑), same helpers and often the same pseudonyms,
but other cohorts, other months, other people and other numbers. Nothing here
answers a question of questions.yaml: cohorts 3/4/5, March funnels, the May
live-stream data, the 2024上半年 coaching review and the specific students of
the real notes are left out on purpose. Standard library only.
"""

from __future__ import annotations

import random

# ---------------------------------------------------------------- pools
COHORTS = [1, 2, 6, 7, 8, 9, 10, 11]           # never 3, 4, 5
MONTHS = [1, 2, 4, 6, 7, 8, 9, 10, 11, 12]      # never 3 (funnel) / 5 (live data)
YEARS = [2023, 2024, 2025]
HELPERS = ["小禾", "阿May", "小禾和阿May"]
NAMES = ["大雨", "阿琪", "小鹿", "Echo", "Vivian", "大刘", "Momo", "小唐", "老K", "文文",
         "阿豪", "小林", "木子", "橙子", "Kiki", "阿峰", "小易", "老宋", "Lily", "阿泽"]

# (background, target, a concrete piece of evidence they built, where they landed)
SWITCHERS = [
    ("证券营业部做了三年柜台业务", "用户运营", "给营业部老客户做了一套开户后30天的社群陪伴流程", "一家券商App的用户运营"),
    ("小学数学老师，教了五年", "课程设计", "把自己讲了五年的分数单元重新拆成了12节微课的课程大纲", "一家少儿编程公司的课程研发"),
    ("幼儿园老师，带了六年小班", "母婴品牌社群运营", "在家长群里做过一次辅食分享接龙，三周拉了400多个家长", "一个母婴品牌的私域运营"),
    ("仓库主管，管着20多个人", "供应链计划", "用半年的出入库数据做了一份安全库存测算表", "一家快消公司的计划专员"),
    ("连锁酒店前台主管", "客户成功", "整理了一份前台高频投诉的分类和处理话术手册", "一家SaaS公司的客户成功专员"),
    ("保险代理人，做了四年", "培训讲师", "把自己带新人的早会课件整理成了一套8节的新人训练营", "一家保险经纪公司的培训岗"),
    ("外企行政专员", "招聘专员", "把公司年会筹备的供应商比价过程写成了一份项目复盘", "一家猎头公司的招聘顾问"),
    ("医院检验科技师", "医疗器械产品专员", "写了一份科室里三款血球仪的使用对比评测", "一家IVD公司的产品专员"),
    ("电商客服组长", "数据分析", "把半年的退货原因做了一次分类统计，找出了三个高退货SKU", "一家服装电商的数据专员"),
    ("报社记者，干了七年", "品牌公关", "把自己写过的三篇企业报道改成了三份品牌传播案例拆解", "一家新消费品牌的公关经理"),
    ("银行大堂经理", "财富管理顾问", "整理了一份网点老年客户常问的20个理财问题和答法", "一家第三方财富公司的理财顾问"),
    ("健身房私教", "运动品牌会员运营", "把自己手上60个会员的续课数据做了一份流失原因分析", "一个运动品牌的会员运营"),
]

LAIDOFF = [  # (name, age, role, industry) — none is a 38-year-old e-commerce ops manager
    ("老周", 41, "财务主管", "一家做建材的民企"),
    ("阿豪", 35, "大客户销售经理", "一家工业软件公司"),
    ("老何", 43, "结构工程师", "一家新能源车企"),
    ("老宋", 45, "行政后勤主任", "一家改制的国企"),
    ("大刘", 36, "招商经理", "一家商业地产公司"),
    ("老K", 42, "培训中心校长", "一家K12教培机构"),
    ("阿峰", 44, "采购经理", "一家家电代工厂"),
]

LIVE_TOPICS = ["简历里最不该写的5句话", "现场改简历", "面试专场：连麦答疑", "裁员之后第一个月该做什么",
               "转行前先算清三笔账", "自我介绍和离职原因", "应届生简历怎么写", "HR不会告诉你的面试潜规则",
               "跳槽前要想清楚的三件事", "突围营招生说明会", "怎么看懂一份JD", "试用期怎么过"]

REFUND_CAUSES = [
    ("直播回放只保留7天", "好几个学员上夜班，回放过期了还没来得及看", "规矩一：所有直播回放保留到结营后90天"),
    ("作业批改延迟", "第二周作业高峰的时候，有的作业拖了四天才批回来", "规矩一：作业48小时内必须批改完"),
    ("开营撞上国庆假期", "第一周一半的人在外面旅游，作业交了不到三成", "规矩一：开营时间避开法定长假"),
    ("助教回复太慢", "晚上提的问题第二天下午才有人回，学员觉得没人管", "规矩一：答疑群晚上10点前的问题当天必须回"),
    ("课程节奏太快", "21天塞了太多内容，在职的学员根本跟不上", "规矩一：每周只布置两次作业"),
]

COACH_STAGE3 = ["集中投递与面试复盘", "每周两次模拟面试", "精投为主，内推优先", "面试冲刺与offer选择",
                "投递节奏表加周复盘"]
COACH_PERIODS = ["2023下半年", "2024下半年", "2025上半年", "2025下半年"]

SALARY_TOPICS = [
    ("试用期薪资", "很多学员不知道试用期工资是可以谈的，默认打八折", "试用期按100%发放"),
    ("年终奖", "offer上只写了月薪，年终奖一句'视绩效而定'", "让HR说清楚去年同岗位实际发了几个月"),
    ("多个offer怎么选", "手上有两个offer，一个钱多一个平台好，纠结了一个星期", "用一张五项打分表把钱、成长、通勤、稳定性、团队都打上分"),
    ("薪资结构", "月薪看着高，拆开一看一半是绩效，而且绩效考核标准不透明", "问清楚固定和浮动的比例，以及过去一年浮动部分的实际发放率"),
]

MEDIA = ["职场新观察", "新职业周刊", "打工人日报", "HR研究社", "求职前线"]
MEDIA_TOPICS = [
    ("35岁以后还能不能转行", "她的答案是能，但要换一种转法：不要跨行又跨职能，一次只换一样"),
    ("面试里最容易被问倒的问题", "她认为最难的不是专业题，而是'你为什么离开上一家'"),
    ("从HRD到知识博主", "她说最难的不是做内容，是第一次在直播间开口卖课"),
    ("应届生该不该先考公", "她的建议是先想清楚自己怕的是什么，是怕累还是怕不稳定"),
]


def _n(r: random.Random, lo: int, hi: int) -> int:
    return r.randint(lo, hi)


def _pct(r: random.Random, lo: float, hi: float) -> str:
    return f"{r.uniform(lo, hi):.1f}%"


# ---------------------------------------------------------------- families
def camp_review(r: random.Random) -> str:
    c = r.choice(COHORTS)
    y = r.choice(YEARS)
    m = r.choice(MONTHS)
    n = _n(r, 35, 90)
    done = _n(r, int(n * 0.5), int(n * 0.85))
    offer = _n(r, 6, max(7, done // 2))
    helper = r.choice(HELPERS)
    name, (bg, tgt, ev, _) = r.choice(NAMES), r.choice(SWITCHERS)
    week2 = r.choice(["第二周：把旧经历写成新岗位的语言", "第二周：简历初稿加小组互改",
                      "第二周：STAR法则一条条拆经历", "第二周：经历盘点和简历重写"])
    week3 = r.choice(["第三周：模拟面试和校友内推", "第三周：面试冲刺", "第三周：真实投递加每日复盘"])
    parts = [f"# 转行突围营第{c}期复盘（{y}年{m}月）", "",
             f"这期报名{n}人，{helper}做助教。先把数据记下来，问题放后面。", "",
             "## 基本数据", "",
             f"- 报名：{n}人，早鸟占了{_n(r, 10, n // 2)}人",
             f"- 21天完课率：{done / n * 100:.1f}%（{done}人交齐作业）",
             f"- 结营后30天内拿到offer：{offer}人",
             f"- 退款：{_n(r, 0, 4)}人", ""]
    if r.random() < 0.8:
        parts += ["## 第一周：拆JD", "",
                  f"每人找{r.choice([15, 20, 25, 30])}条目标岗位的JD，圈出高频要求。这期问题还是JD找得太杂，"
                  f"{r.choice(NAMES)}一个人同时找了三个方向。", ""]
    parts += [f"## {week2}", "",
              f"这一周的重点还是把过去的经历对上新岗位。{name}原来是{bg}，想转{tgt}，"
              f"一开始说自己什么都没有，后来{ev}，简历一下子就有了主心骨。", ""]
    if r.random() < 0.7:
        parts += [f"## {week3}", "",
                  f"模拟面试抽听了{_n(r, 15, 40)}份录音，自我介绍平均{_n(r, 1, 3)}分{_n(r, 5, 55)}秒，"
                  f"还是太长。校友群促成内推{_n(r, 5, 25)}次。", ""]
    if r.random() < 0.6:
        parts += ["## 这期的几个学员", ""]
        for bg2, tgt2, ev2, land2 in r.sample(SWITCHERS, _n(r, 1, 3)):
            nm = r.choice(NAMES)
            parts += [f"{nm}，原来是{bg2}，目标{tgt2}。第二周卡了很久，后来{ev2}。"
                      f"结营后面了{_n(r, 2, 12)}家，" + r.choice([f"现在在{land2}。", "还在找，状态不错。",
                                                            "拿到一个offer但还在犹豫。"]), ""]
    if r.random() < 0.6:
        parts += ["## 这期踩的坑", "",
                  f"1. {r.choice(['作业高峰期批改跟不上', '直播时间和很多人的加班撞了', '校友群里的机会太少'])}。",
                  f"2. 有{_n(r, 2, 6)}个学员目标定得太远，21天不够。", ""]
    return "\n".join(parts)



def funnel_txt(r: random.Random) -> str:
    m = r.choice(MONTHS)
    sold = _n(r, 300, 1500)
    joined = _n(r, int(sold * 0.5), int(sold * 0.8))
    camp = _n(r, 8, 60)
    c = r.choice(COHORTS)
    lines = [f"{m}月 9.9简历急救包 随手记", "",
             f"- 流量主要靠小红书那篇「{r.choice(LIVE_TOPICS)}」，点赞{_n(r, 2, 30) / 10:.1f}千",
             f"- 这个月一共卖了{sold}单，退款{_n(r, 2, 15)}单",
             f"- 进福利群{joined}人，群里直播{_n(r, 1, 3)}场",
             f"- 最后进突围营第{c}期的{camp}个，按进群算大概{camp / joined * 100:.1f}%",
             f"- 一对一陪跑咨询{_n(r, 2, 10)}个，成交{_n(r, 0, 3)}个"]
    extra = [f"- {r.choice(HELPERS)}说群里问得最多的是：简历要不要放照片、离职原因怎么说",
             "- 应届生比例又高了，详情页那句\"适合工作3年以上\"好像没什么用",
             "- 福利群7天解散这个做法挺好，群里干净很多",
             f"- 下个月试试把「{r.choice(LIVE_TOPICS)}」做成系列笔记",
             "- 有人在群里发广告，踢了三个",
             f"- 直播最高在线{_n(r, 100, 600)}，比上个月{r.choice(['多', '少'])}一点"]
    r.shuffle(extra)
    lines += extra[: _n(r, 1, len(extra))]
    return "\n".join(lines)


def switcher_story(r: random.Random) -> str:
    name = r.choice(NAMES)
    bg, tgt, ev, land = r.choice(SWITCHERS)
    c = r.choice(COHORTS)
    months = _n(r, 3, 8)
    inter = _n(r, 4, 15)
    paras = [f"# 学员故事｜{name}：从{bg.split('，')[0]}到{tgt}，用了{months}个月", "",
             f"{name}是突围营第{c}期的学员，之前是{bg}。报名问卷里写的目标岗位是{tgt}，"
             f"我一开始有点担心跨得太远，但她第一周的JD拆解作业做得很认真。", "",
             f"她最大的难处是简历上没有一段能直接对上{tgt}的经历。我们在第二周一条一条过她的日常工作，"
             f"最后找到的突破口是：{ev}。这件事后来成了她面试时讲得最多的一段。", ""]
    if r.random() < 0.7:
        paras += [f"结营之后她一共面了{inter}家，前面几家都倒在\"没有相关经验\"上，"
                  f"第{_n(r, 2, inter)}家终于过了。现在她在{land}，月薪比之前多了{_n(r, 1, 5)}千左右。", ""]
    if r.random() < 0.5:
        paras += ["我讲她的故事，不是因为她转得有多漂亮，而是因为她没有硬凑经历，"
                  "而是从自己每天的工作里找了一个真实的问题做透。", ""]
    return "\n".join(paras)


def qa_txt(r: random.Random) -> str:
    m = r.choice(MONTHS)
    d = _n(r, 1, 28)
    helper = r.choice(HELPERS)
    blocks = [
        ("应届生，学{0}的，投了两个月没结果".format(r.choice(["汉语言", "市场营销", "社会学", "英语"])),
         "我实习经历很少，面试官一问相关经验我就卡住。",
         "把你做过的东西变成一页作品，面试时递过去说\"这是我做的\"，比说\"我参与过\"有用得多。"),
        ("三年换了四份工作，做市场的",
         "每次面试都被问为什么跳槽这么频繁，怎么答都不对。",
         "别一个一个解释，把四段经历串成一条线：你每一次换工作都在往同一个方向靠。"),
        ("试用期第二个月被辞退，做行政的",
         "这段要不要写进简历？",
         "两个月的经历可以不写，但面试被问到工作时间线的时候要如实说，不要让背调替你说。"),
        ("在老家考了两年公务员没考上，28岁",
         "现在想进企业，但完全没有企业经验。",
         "先找和你备考期间做过的事情沾边的岗位，比如你带过的学习小组、做过的兼职。"),
        ("做了五年销售，想转市场",
         "面试官觉得我只会跑客户，不会做策划。",
         "把你跑客户时收集的一线反馈整理成一份用户洞察，这就是市场岗最缺的东西。"),
        ("在外地工作，想回老家二线城市",
         "老家的岗位工资低一半，不知道该不该回。",
         "先算清楚回去之后的生活成本和通勤时间，再比较，而不是只比工资数字。"),
    ]
    r.shuffle(blocks)
    out = [f"{m}月{d}日 视频号直播连麦实录", f"整理：{helper}", ""]
    for k, (who, q, a) in enumerate(blocks[: _n(r, 1, 4)], 1):
        nm = r.choice(NAMES)
        out += [f"【连麦{k}】{nm}，{who}", "", f"{nm}：岚姐，{q}", "", f"岚姐：{a}", ""]
    out += [f"在线最高{_n(r, 200, 1500)}人，下一场定在{m}月{min(28, d + 14)}日。"]
    return "\n".join(out)


def live_data(r: random.Random) -> str:
    m = r.choice(MONTHS)
    topics = r.sample(LIVE_TOPICS, _n(r, 4, 7))
    rows = ["| 日期 | 主题 | 场观 | 最高在线 | 9.9成交 | 突围营成交 |", "|---|---|---|---|---|---|"]
    best = None
    for k, t in enumerate(topics):
        views = _n(r, 1500, 15000)
        if best is None or views > best[1]:
            best = (t, views)
        rows.append(f"| {m}/{2 + 4 * k:02d} | {t} | {views:,} | {_n(r, 150, 1500):,} | "
                    f"{_n(r, 5, 150)} | {_n(r, 0, 12)} |")
    out = [f"# {m}月直播数据复盘", "", f"{m}月一共播了{len(topics)}场，数据从后台导出。", ""] + rows + [""]
    out += ["## 几个发现", "",
            f"1. 场观最高的是「{best[0]}」，{best[1]:,}人。" + r.choice([
                "成交也不错，说明题目选对了。",
                "但停留时长偏短，很多人进来看一眼就走。",
                "评论区问得最多的是简历模板在哪领。"]),
            "2. 现场改简历的成交率依旧最高。" if r.random() < 0.7 else "2. 说明会前的预热做得不够。", ""]
    return "\n".join(out)


def coaching_review(r: random.Random) -> str:
    period = r.choice(COACH_PERIODS)
    price = r.choice([6800, 7800])
    k = _n(r, 3, 9)
    got = _n(r, max(1, k - 3), k)
    stage3 = r.choice(COACH_STAGE3)
    cl = r.sample(SWITCHERS, min(3, k))
    out = [f"# 一对一求职陪跑 {period}复盘", "",
           f"这半年一共服务了{k}位客户，{got}位拿到offer，价格{price}元/8周。", "",
           "## 第一阶段：定方向", "", "前两周只定方向，不改简历。", "",
           "## 第二阶段：简历和作品", "", "主攻岗位、备选岗位各一版简历，转行的补一份作品。", "",
           f"## 第三阶段：{stage3}", "",
           f"这一阶段每周复盘一次投递数据，{r.choice(HELPERS)}负责第一轮模拟面试。", ""]
    if r.random() < 0.7:
        out += ["## 客户情况", ""]
        for bg, tgt, ev, land in cl:
            if r.random() < 0.5:
                out.append(f"- {r.choice(NAMES)}：{bg}，转{tgt}，用了{_n(r, 5, 14)}周，现在在{land}")
            else:
                out.append(f"- {r.choice(NAMES)}：{bg}，想转{tgt}。作品是{ev}，前后面了{_n(r, 3, 12)}家，"
                           f"第{_n(r, 5, 14)}周拿到{land}的offer，月薪{_n(r, 8, 20)}千。")
        out.append("")
    if r.random() < 0.5:
        out += ["## 反思", "", "老陈那单之后，8周没拿到offer免费延长的条款已经写进合同，这半年用上了"
                f"{_n(r, 1, 3)}次。", ""]
    return "\n".join(out)


def salary_note(r: random.Random) -> str:
    c = r.choice(COHORTS)
    topic, pain, fix = r.choice(SALARY_TOPICS)
    out = [f"# 突围营第{c}期 谈薪答疑整理：{topic}", "",
           f"这期群里关于{topic}的问题特别多，集中整理一下。", "",
           "## 问题", "", f"{pain}。{r.choice(NAMES)}就是这样，差点直接签了。", "",
           "## 我的建议", "", f"{fix}。这一步不难，难的是敢开口。", ""]
    if r.random() < 0.6:
        out += ["## 结果", "",
                f"这期有{_n(r, 5, 20)}个人按这个思路去问了，{_n(r, 2, 5)}个人争取到了更好的条件。", ""]
    return "\n".join(out)


def refund_review(r: random.Random) -> str:
    c = r.choice([x for x in COHORTS if x not in (1,)])
    cause, detail, rule = r.choice(REFUND_CAUSES)
    n = _n(r, 40, 80)
    ref = _n(r, 2, 7)
    out = [f"# 第{c}期突围营投诉复盘：{cause}", "",
           f"第{c}期报名{n}人，退款{ref}人。", "",
           "## 发生了什么", "", f"{detail}。第二周开始陆续有人在群里抱怨。", "",
           "## 补救", "", f"申请退款的{ref}个人全部退了，剩下的人每人送一次简历诊断。", "",
           f"## {rule}", "", "从下一期开始执行，写进开营须知。", ""]
    return "\n".join(out)


def media_piece(r: random.Random) -> str:
    outlet = r.choice(MEDIA)
    topic, quote = r.choice(MEDIA_TOPICS)
    y = r.choice(YEARS)
    out = [f"# {outlet}专访｜林岚谈{topic}", "",
           f"（{y}年{r.choice(MONTHS)}月，{outlet}对我做的一次采访，整理存档）", "",
           f"在成为\"岚姐聊职场\"之前，林岚在互联网公司做了十二年招聘。谈到{topic}，{quote}。", ""]
    if r.random() < 0.6:
        out += [f"她现在的产品线是9.9元的简历急救包、1299元的转行突围营和少量的一对一求职陪跑，"
                f"突围营已经办到第{r.choice(COHORTS)}期。", ""]
    return "\n".join(out)


def laidoff_story(r: random.Random) -> str:
    name, age, role, company = r.choice(LAIDOFF)
    sent = _n(r, 60, 400)
    calls = _n(r, 2, 15)
    out = [f"# 一对一陪跑手记：{age}岁被裁的{role}{name}", "",
           f"{name}之前在{company}做{role}，裁员之后自己先投了{sent}份左右，回音{calls}个。"
           f"第一次通话我让他先停下来，别再投了，先想清楚自己最值钱的三件事。", ""]
    if r.random() < 0.7:
        out += [f"简历我们重写了一遍，从流水账改成了{r.choice(['两', '三', '四'])}个项目，每个项目只写三样：背景、他做的决定、"
                f"结果是多少钱。{r.choice(['十年前', '八年前', '刚毕业那几年'])}的工作压成一行。改完之后第一周就有"
                f"{_n(r, 1, 5)}个面试，他说这是几个月来第一次觉得自己还行。", ""]
    if r.random() < 0.7:
        out += [f"他最难熬的是第{_n(r, 3, 10)}周，" + r.choice([
            "一家公司面到终面，岗位突然冻结了，HC被收回。",
            "连着两家面试官都比他小十几岁，聊得很尴尬。",
            "赔偿金快花完了，家里开始有意见。"]), ""]
    if r.random() < 0.6:
        out += [f"最后他在第{_n(r, 8, 16)}周拿到了offer，薪资比之前{r.choice(['低了一成左右', '差不多持平', '低了两成'])}。", ""]
    return "\n".join(out)


FAMILIES = [
    (camp_review, "md"), (funnel_txt, "txt"), (switcher_story, "md"), (qa_txt, "txt"),
    (live_data, "md"), (coaching_review, "md"), (salary_note, "md"), (refund_review, "md"),
    (media_piece, "md"), (laidoff_story, "md"),
]


GENERIC = [
    "自我介绍控制在90秒以内，最后一句一定落在\"为什么是这个岗位\"。很多人讲了三分钟还在讲大学专业，面试官早就走神了。",
    "目标岗位只能选一个，最多再加一个保底岗。同时找三个方向的人，JD拆出来的能力清单一定是互相打架的。",
    "转行的人最缺的不是课，是一件能拿得出手的东西。一份作品做透，胜过十张证书。",
    "方向没想清楚之前别急着投，投出去的每一份没有回音的简历，都在消耗你的信心。",
    "离职原因不要只说一半被动的理由，要补上你自己主动想要的东西，再马上接一个例子。",
    "作业批改先同学互评，再助教复评，我只看助教标红的那几份，这样批注质量才稳得住。",
    "直播间里最能卖课的永远是现场改简历，大家亲眼看到改之前和改之后的差别，比讲道理有用。",
    "简历一页到一页半就够了，十年以前的经历压缩成一行，面试官想听自然会问。",
    "没有数字的时候就找对比：改进前后的对比、跟同事的对比、跟行业平均的对比。",
    "缺点那道题别再说\"太追求完美\"了，说一个真实的、跟岗位关系不大、而且你已经在改的缺点。",
    "每次面试结束30分钟之内，把被问到的问题和自己的回答写下来，第二天再看一遍，下一场就不会在同一个地方摔倒。",
    "找工作最难熬的往往不是被拒，而是一个人扛着不说。让家里人知道，你才有底气慢慢找。",
    "应届生和工作三年以上的人需要的东西完全不一样，放在一个营里带，两边都不满意。",
    "模拟面试一定要录音，自己听一遍回放，比我说十遍都管用。",
    "JD里反复出现的词就是面试官最在意的能力，简历上的每一条经历都应该能对上其中一个词。",
    "很多人问我突围营和一对一陪跑有什么区别。突围营是一套方法带一群人走，21天，适合方向大致清楚、需要有人推一把的人；一对一是从定方向开始陪着走，适合情况复杂、或者已经自己找了很久没结果的人。报名前的沟通里，我会直接告诉对方哪一个更适合他，哪怕是建议他先买9块9的简历急救包自己试试。",
    "做职场内容这两年，我最大的体会是：大家买的不是知识，是确定性。简历怎么改、面试怎么答，网上到处都有，但一个人在焦虑的时候，需要有人告诉他\"你现在这一步做对了\"。所以作业批改和每周复盘这种看起来很笨的事情，我一直没舍得砍。",
    "跨行又跨职能是最难的转法，我一般建议一次只换一样：要么同一个行业换岗位，要么同一个岗位换行业。两样都换，简历上几乎找不到能对上的经历，面试官也很难相信你。",
    "小红书上最容易爆的永远是\"HR最烦的XX句话\"这种清单体，但带来的人群偏年轻，转化要靠后面的直播。",
]


def _padding(r: random.Random, ext: str, have: int) -> str:
    k = r.choice([0, 0, 1, 2, 3, 4, 6, 8, 10, 12, 14])
    if have < 250:
        k = max(k, 2)
    if not k:
        return ""
    picks = r.sample(GENERIC, k)
    if ext == "txt":
        return "\n" + "\n".join("- " + p for p in picks)
    head = r.choice(["## 其他想到的", "## 顺手记几条", "## 给下期的提醒", "## 我的几点反思"])
    return "\n\n" + head + "\n\n" + "\n\n".join(picks)


def make(r: random.Random, i: int) -> tuple[str, str]:
    fn, ext = FAMILIES[i % len(FAMILIES)]
    body = fn(r).rstrip()
    text = body + _padding(r, ext, len(body))
    return f"d-career-{i:04d}.{ext}", text.rstrip() + "\n"
