"""The hybrid search's ranking rules (fake embedder: what is asserted holds for any vectors)."""

from __future__ import annotations

from ipwriter.knowledge.search import NOTE_SUPPORT, fuse, note_support

from .support.workspaces import demo_copy, open_workspace

STEPS = """# 训练营四步法复盘

## 第一步：开营前一对一电话

开营前三天，我给每位学员打了十分钟电话，问清楚她最想解决的一个问题。这一步之前试过别的做法，效果都不稳定，这次把细节写进了SOP，助理照着做就行，不需要我每天盯着，省下的时间用来做答疑和复盘。这一步之前试过别的做法，效果都不稳定，这次把细节写进了SOP，助理照着做就行，不

## 第二步：五人小组，组长轮值

把学员分成五人小组，每天一位组长负责提醒打卡，组长每周轮换一次。这一步之前试过别的做法，效果都不稳定，这次把细节写进了SOP，助理照着做就行，不需要我每天盯着，省下的时间用来做答疑和复盘。这一步之前试过别的做法，效果都不稳定，这次把细节写进了SOP，助理照着做就行，不

## 第三步：第14天做中场体测

第14天安排一次中场体测，把数据和第1天对比，掉队的人单独约聊。这一步之前试过别的做法，效果都不稳定，这次把细节写进了SOP，助理照着做就行，不需要我每天盯着，省下的时间用来做答疑和复盘。这一步之前试过别的做法，效果都不稳定，这次把细节写进了SOP，助理照着做就行，不

## 第四步：结营直播只讲一件事

结营直播只讲下一阶段怎么练，不讲别的，最后十分钟才介绍年卡。这一步之前试过别的做法，效果都不稳定，这次把细节写进了SOP，助理照着做就行，不需要我每天盯着，省下的时间用来做答疑和复盘。这一步之前试过别的做法，效果都不稳定，这次把细节写进了SOP，助理照着做就行，不
"""


def test_a_passage_only_bm25_found_gets_half_its_weight():
    dense = [("a", 0.91), ("b", 0.80)]
    lexical = [("c", 10.0), ("a", 5.0)]
    ranked = [cid for cid, _ in fuse(dense, lexical)]
    assert ranked[0] == "a"  # found by both beats found by BM25 alone
    assert [cid for cid, _ in fuse(dense, lexical, lexical_only=1.0)][0] == "c"
    assert [cid for cid, _ in fuse([], lexical)][0] == "c"  # no vectors at all: BM25 decides


def test_a_note_that_matches_in_several_passages_outranks_a_lookalike_matched_once():
    fused = [("x1", 1.0), ("a1", 0.95), ("a2", 0.6), ("y1", 0.5), ("a3", 0.3)]
    note_of = {"x1": "more/x.md", "a1": "case.md", "a2": "case.md", "a3": "case.md", "y1": "more/y.md"}
    ranked = note_support(fused, note_of)
    assert [cid for cid, _ in ranked][:2] == ["a1", "x1"]
    scores = dict(ranked)
    assert scores["a1"] == 0.95 + NOTE_SUPPORT * 0.9  # the other two passages of its note
    assert scores["a3"] == 0.3 + NOTE_SUPPORT * 1.0  # 0.95 + 0.6, capped at 1
    assert scores["x1"] == 1.0 and scores["y1"] == 0.5  # alone in their notes: unchanged
    # a chunk with no catalog row (mid-ingest crash) is its own note, not everyone's
    assert dict(note_support([("a1", 0.9), ("ghost", 0.8)], {"a1": "case.md"})) == {"a1": 0.9, "ghost": 0.8}
    assert note_support([], {}) == []


def test_a_number_does_not_glue_its_unit_to_the_next_word():
    from ipwriter.knowledge.tokenize import tokens

    note, question = tokens("21天辅食启蒙营·第5期复盘"), tokens("第5期辅食营中间那几天")
    assert "辅食" in note and "天辅食" not in note and "#21天" in note and "第5期" in note
    assert "期辅" not in question and "食营" not in question and "第5期" in question
    assert "粉丝" in tokens("2.3万粉丝的账号") and "#23000粉" in tokens("2.3万粉丝的账号")


def test_one_on_one_is_one_token_however_it_is_written():
    from ipwriter.knowledge.tokenize import tokens

    for text in ("1对1私教", "一对一陪跑", "1 对 1 诊断", "１对１咨询"):
        assert "一对一" in tokens(text), text
    for text in ("11对12", "一对夫妻", "1对2小班", "统一对一下口径", "我们统一对一线员工培训", "1\n对\n1"):
        assert "一对一" not in tokens(text), text
    assert tokens("一对一陪跑").count("一对一") == tokens("1对1陪跑").count("一对一") == 1


def test_a_festival_is_one_token_however_it_is_named():
    from ipwriter.knowledge.tokenize import tokens

    for text in ("618视频号直播复盘", "年中那场大促直播", "六月那场大促", "2024.6.18晚", "6月18日开播"):
        assert "@618" in tokens(text), text
    for text in ("双十一直播", "双11", "11.11大促"):
        assert "@1111" in tokens(text), text
    for text in ("三八节那天", "女神节草莓盒子", "3月8日"):
        assert "@38" in tokens(text), text
    assert "@618" in tokens("６１８大促") and "@618" in tokens("2024/6/18") and "@61" in tokens("6月1日那场直播")
    for text in ("场观618人", "1.618倍", "3.8万粉", "六一班", "6180元", "6月18人报名", "6月18个新学员", "11月11人续费",
                 "12月12单", "转化率6.18%", "6.18万GMV", "客单价6.18元", "618名学员", "¥618", "售价618", "共618条评论",
                 "GMV 618万", "11.11元", "12.12%"):  # counts, prices, rates: not festivals
        assert not [t for t in tokens(text) if t.startswith("@")], text


def test_a_number_question_prefers_the_sentence_with_the_number_it_asks_for():
    from ipwriter.knowledge.lexical import rerank_by_sentence
    from ipwriter.knowledge.search import UNIT_SHARE, asks_for

    assert asks_for("她进群以后闷了多少天才第一次发消息") == {"天"}
    assert asks_for("最后有多少个家长升级买了年费群") == {"人"} == asks_for("有几位续费了")
    for q in ("第九期打卡营收尾以后，那几天怎么补救的", "训练营收费标准是怎么定的", "她的收入结构是怎样的", "多少会员费",
              "花了多少人民币", "第5期中间那几天交作业的人少了一大截"):
        assert not asks_for(q), q
    assert asks_for("愿意接着报的家庭占多少比例") == {"%", "成"}
    assert asks_for("那场直播一晚上总共卖了多少") == {"元"} and asks_for("一共订出去多少份") == {"份"}
    assert asks_for("她的腰前后一共细了多少") == frozenset() == asks_for("我是怎么把她们捞回来的")
    query = "进群以后闷了多少天才第一次发消息"
    texts = {"a": "她终于第一次在群里发消息，是一张照片。", "b": "进群以后她潜水了整整143天。"}
    fused = [("a", 1.0), ("b", 1.0)]
    from ipwriter.knowledge.tokenize import tokens

    def idf(_):
        return 1.0

    plain = rerank_by_sentence(tokens(query), fused, texts, idf, 2.0)
    typed = rerank_by_sentence(tokens(query), fused, texts, idf, 2.0, asks_for(query), UNIT_SHARE)
    assert plain[0][0] == "a" and typed[0][0] == "b"
    assert dict(typed)["a"] == dict(plain)["a"]  # no number of that unit: unchanged
    # a terse data line that shares no word with the question still holds the number asked for
    rate = "愿意接着报下一期的家庭大概占多少比例"
    terse = rerank_by_sentence(tokens(rate), [("c", 1.0)], {"c": "整体续费率68%。"}, idf, 2.0, asks_for(rate), UNIT_SHARE)
    assert terse[0][1] == 1.0 + 2.0 * UNIT_SHARE
    money = "那一季一共收入多少钱"  # a value written in e-notation by the token ("#1.23457e+06元") keeps its unit
    big = rerank_by_sentence(tokens(money), [("d", 1.0)], {"d": "合计1234567.5元。"}, idf, 2.0, asks_for(money), UNIT_SHARE)
    assert big[0][1] == 1.0 + 2.0 * UNIT_SHARE


def test_a_question_about_what_came_next_gets_the_next_passage_second(tmp_path):
    root = demo_copy(tmp_path / "ws", knowledge=False)
    (root / "knowledge" / "steps.md").write_text(STEPS, encoding="utf-8")
    with open_workspace(root) as ws:
        ws.ingest()
        for query in ("分好组轮流当组长之后，紧接着安排的是哪一步？", "开营前打完电话，下一步做什么"):
            found = ws.search(query, k=3)
            first, second = found[0], found[1]
            chunks = {c.id: c for c in ws.kb.store.chunks_by_id([first.chunk_id, second.chunk_id]).values()}
            assert chunks[second.chunk_id].ord == chunks[first.chunk_id].ord + 1, query
            assert second.source == first.source
            every = ws.search(query, k=4)  # the moved passage is not also shown further down
            assert len({e.chunk_id for e in every}) == len(every) == 4
        assert len(ws.kb.store.chunks_by_id([e.chunk_id for e in ws.search("复盘", k=10)])) >= 4


def test_a_month_is_one_token_however_it_is_written():
    from ipwriter.knowledge.tokenize import tokens

    for text in ("3月社群复盘", "三月份的社群", "3月6日开营", "三 月"):
        assert "3月" in tokens(text), text
    assert "12月" in tokens("十二月") and "2月" not in tokens("十二月")
    for text in ("做了三个月", "月饼礼盒", "13月", "第3期"):
        assert not [t for t in tokens(text) if t.endswith("月") and t[:-1].isdigit()], text


def test_only_a_question_about_what_came_next_asks_for_the_next_passage():
    from ipwriter.knowledge.search import COUNT, SEQUENCE

    for q in ("分好组之后，紧接着安排的是哪一步？", "头四周练完，下一个阶段叫什么", "练脚那课后面紧跟着的是哪天",
              "开营电话打完，下一步做什么", "接下来做了什么"):
        assert SEQUENCE.search(q), q
    for q in ("直播最后一共多少人报名", "她的腰前后一共细了多少", "结营以后一共多少人续费", "退款风波之后，口碑怎样",
              "最后一段讲了什么"):
        assert not SEQUENCE.search(q), q
    for q in ("第九期结营以后，紧接着去买修图课的有几个人？", "接下来一个月续费的比例是多少"):
        assert SEQUENCE.search(q) and COUNT.search(q), q  # a count of what came next: not the next passage
    for q in ("分好组之后，紧接着安排的是哪一步？", "下一步做了哪几个动作", "接下来的几天里她做了什么", "下一个阶段练几周"):
        assert SEQUENCE.search(q) and not COUNT.search(q), q


def test_the_hybrid_search_applies_each_rule(tmp_path, monkeypatch):
    """Note support, the unit a number question asks for and the count guard are wired into
    the real search (spies around the rules; the rules themselves are tested above)."""
    import ipwriter.knowledge.search as search

    seen: dict = {"next": 0}
    support, rerank, with_next = search.note_support, search.rerank_by_sentence, search.HybridSearcher._with_next

    def spy_support(fused, note_of, *args):
        seen["note_of"] = note_of
        return support(fused, note_of, *args)

    def spy_rerank(*args):
        seen["units"] = args[5]
        return rerank(*args)

    def spy_next(self, *args):
        seen["next"] += 1
        return with_next(self, *args)

    monkeypatch.setattr(search, "note_support", spy_support)
    monkeypatch.setattr(search, "rerank_by_sentence", spy_rerank)
    monkeypatch.setattr(search.HybridSearcher, "_with_next", spy_next)
    root = demo_copy(tmp_path / "ws", knowledge=False)
    (root / "knowledge" / "steps.md").write_text(STEPS, encoding="utf-8")
    with open_workspace(root) as ws:
        ws.ingest()
        found = ws.search("开营前打完电话，下一步做什么", k=3)
        assert seen["next"] == 1 and seen["units"] == frozenset()
        assert seen["note_of"] and set(seen["note_of"].values()) == {"knowledge/steps.md"}
        assert {seen["note_of"][e.chunk_id] for e in found} == {"knowledge/steps.md"}
        ws.search("开营前打完电话，紧接着有几个人报名", k=3)  # a count: no next passage
        assert seen["next"] == 1 and seen["units"] == {"人"}
        ws.search("中场体测安排在开营多少天以后", k=3)
        assert seen["units"] == {"天"}
