"""检索自测: the creator's own questions, each with the note that should answer it.

A question file is YAML (a list, or ``{questions: [...]}``) or a CSV/TSV table
with a header. Each question names ``question`` and ``note`` (也可以写 问题 /
笔记), and optionally ``answer`` (答案): a phrase the passage must hold. A note
is named by its stored path (``knowledge/…``), its path inside ``knowledge/``,
its file name, its file name without the extension, or its title; a name that
matches no note, or more than one, stops the run before any search with the
closest names, so a typo never reads as a retrieval miss.

:func:`evaluate` runs each question through a search that reports every
candidate's raw scores (``HybridSearcher.search(signals=…)``) and gives
recall@k, hit@1 and, for every question whose note is not first, what came
first instead and why: the dense (e5) and BM25 scores and ranks of the first
result and of the expected note's best passage.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from pydantic import BaseModel

from ipwriter.errors import ConfigError
from ipwriter.knowledge.load import decode_text
from ipwriter.knowledge.models import Evidence

EXAMPLE = """\
# questions.yaml：每项一个你写作时会问的问题，和你期望找到的笔记
- question: 小红书从0做到2万粉用了多久？
  note: 01-xiaohongshu-zero-to-23k-followers.md   # 文件名、knowledge/ 里的路径或笔记标题
  answer: 5个月                                     # 可选：找到的片段里必须有这句
"""

MAX_QUESTIONS = 1000
POOL = 20  # results fetched per question: a miss says where the note ranked, up to here
FIELDS = {"question": ("question", "问题", "query"), "note": ("note", "笔记", "source", "expected"),
          "answer": ("answer", "答案")}


class EvalQuestion(BaseModel):
    question: str
    note: str
    answer: str = ""
    item: int  # 1-based position in the file (a row number for tables), for messages


class Ranked(BaseModel):
    """One passage as the self-test shows it: where it came, and the raw signals."""

    source: str
    title: str = ""
    heading: str = ""
    rank: int | None = None  # in the final order (1 = first), None: not in the first POOL
    dense: float | None = None  # cosine similarity (e5), None: not among dense candidates
    dense_rank: int | None = None
    bm25: float | None = None  # None: no query word in the passage
    bm25_rank: int | None = None


class QuestionResult(BaseModel):
    question: str
    note: str  # the stored source it resolved to
    answer: str = ""
    rank: int | None  # of the first passage from the note (holding the answer, if one is given)
    found: bool  # rank <= k
    first: Ranked | None
    expected: Ranked | None
    why: str = ""  # Chinese, for every question whose note is not first


class EvalReport(BaseModel):
    k: int
    questions: int
    found: int
    first: int
    recall_at_k: float
    hit_at_1: float
    results: list[QuestionResult]


# -- reading a question file ---------------------------------------------------------------
def _field(row: dict, name: str) -> str:
    for key in FIELDS[name]:
        value = row.get(key)
        if value is not None and str(value).strip():
            return str(value).strip()
    return ""


def parse_questions(text: str | bytes, name: str) -> list[EvalQuestion]:
    """Questions from a file's text or bytes (UTF-8 or GBK); ``name``'s suffix picks the
    format (.csv/.tsv, else YAML)."""
    if isinstance(text, bytes):
        if not text.strip():
            raise ConfigError(f"{name} 是空文件", f"{name} is empty")
        text = decode_text(text, name)
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in {".csv", ".tsv"}:
        reader = csv.DictReader(io.StringIO(text), delimiter="\t" if suffix == ".tsv" else ",")
        items = [({(k or "").strip().lower(): v for k, v in row.items()}, n)
                 for n, row in enumerate(reader, 2)]  # row 1 is the header
        unit = "第 {} 行"
    else:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"第 {mark.line + 1} 行" if mark else ""
            raise ConfigError(f"{name} 不是有效的 YAML{where}：{getattr(exc, 'problem', exc)}",
                              f"{name} is not valid YAML: {exc}") from None
        if isinstance(data, dict):
            data = data.get("questions", data.get("问题"))
        if not isinstance(data, list):
            raise ConfigError(f"{name} 里应当是一个问题列表（每项写 question 和 note）",
                              f"{name} must hold a list of questions (question, note)")
        items = [(d, n) for n, d in enumerate(data, 1)]
        unit = "第 {} 个问题"
    out: list[EvalQuestion] = []
    problems: list[str] = []
    for row, n in items:
        if not isinstance(row, dict):
            problems.append(f"{unit.format(n)}不是「question: …, note: …」的形式")
            continue
        question, note = _field(row, "question"), _field(row, "note")
        if not question or not note:
            if any(str(v or "").strip() for v in row.values()):
                problems.append(f"{unit.format(n)}缺少 {'question（问题）' if not question else 'note（笔记）'}")
            continue  # a blank row is skipped
        out.append(EvalQuestion(question=question, note=note, answer=_field(row, "answer"), item=n))
    if problems:
        raise ConfigError(f"{name}：" + "；".join(problems[:5]) + ("……" if len(problems) > 5 else ""),
                          f"{name}: {len(problems)} malformed question(s)")
    if not out:
        raise ConfigError(f"{name} 里没有问题：每项写 question（问题）和 note（期望找到的笔记）",
                          f"{name} holds no questions")
    if len(out) > MAX_QUESTIONS:
        raise ConfigError(f"{name} 有 {len(out)} 个问题，一次最多 {MAX_QUESTIONS} 个，请拆分",
                          f"{name}: {len(out)} questions, at most {MAX_QUESTIONS}")
    return out


def load_questions(path: Path) -> list[EvalQuestion]:
    if not path.is_file():
        raise ConfigError(f"找不到问题文件 {path}", f"no such question file: {path}")
    return parse_questions(path.read_bytes(), path.name)


# -- naming notes -----------------------------------------------------------------------------
def _names(source: str, title: str) -> set[str]:
    p = PurePosixPath(source)
    inner = source.split("/", 1)[1] if source.startswith("knowledge/") else source
    return {source, inner, p.name, p.stem, title.strip()} - {""}


def resolve_notes(questions: Sequence[EvalQuestion], sources: Sequence[dict]) -> dict[str, str]:
    """Each name a question uses → the stored source; every unknown or ambiguous name at once."""
    by_name: dict[str, set[str]] = {}
    for s in sources:
        for n in _names(s["source"], s.get("title") or ""):
            by_name.setdefault(n.lower(), set()).add(s["source"])
    resolved: dict[str, str] = {}
    problems: list[str] = []
    for q in questions:
        if q.note in resolved:
            continue
        hits = by_name.get(q.note.strip().lower(), set())
        if len(hits) == 1:
            resolved[q.note] = next(iter(hits))
        elif hits:
            problems.append(f"「{q.note}」同时对应 {'、'.join(sorted(hits))}，请写完整路径")
        else:
            close = difflib.get_close_matches(q.note, sorted({s['source'] for s in sources}
                                                            | {PurePosixPath(s['source']).name
                                                               for s in sources}), n=3, cutoff=0.5)
            hint = f"，你是不是指：{'、'.join(close)}" if close else "（用 ipwriter sources list 查看笔记名）"
            problems.append(f"第 {q.item} 项的笔记「{q.note}」不在知识库里{hint}")
    if problems:
        raise ConfigError("；".join(problems[:8]) + ("……" if len(problems) > 8 else ""),
                          f"{len(problems)} note name(s) in the question file match no single note")
    return resolved


# -- running --------------------------------------------------------------------------------
def _squash(text: str) -> str:
    return "".join(text.split()).lower()


def _holds(ev: Evidence, answer: str) -> bool:
    if not answer:
        return True
    return _squash(answer) in _squash(" ".join([ev.title, *ev.headings, ev.text]))


def _ranked(ev: Evidence, rank: int | None, signals: dict) -> Ranked:
    s = signals.get(ev.chunk_id, {})
    return Ranked(source=ev.source, title=ev.title, heading=" › ".join(ev.headings), rank=rank,
                  dense=s.get("dense"), dense_rank=s.get("dense_rank"), bm25=s.get("bm25"),
                  bm25_rank=s.get("bm25_rank"))


def _signal_text(r: Ranked) -> str:
    bm25 = f"关键词 BM25 {r.bm25:.2f}（第 {r.bm25_rank}）" if r.bm25 is not None else "关键词没有命中"
    dense = (f"语义相似度 {r.dense:.3f}（第 {r.dense_rank}）" if r.dense is not None
             else "语义不在前 50 名")
    return f"{bm25}，{dense}"


def _why(first: Ranked | None, expected: Ranked | None, rank: int | None, k: int,
         answer: str) -> str:
    if first is None:
        return "搜索没有返回任何结果"
    if expected is not None and first.source == expected.source and answer:
        head = (f"排第 1 的是同一篇笔记里没有「{answer}」的另一段（{first.heading or first.title}）："
                f"{_signal_text(first)}")
    else:
        head = f"排第 1 的是 {first.source}（{first.heading or first.title}）：{_signal_text(first)}"
    if expected is None:
        what = f"期望的笔记里含「{answer}」的那段" if answer else "期望的笔记"
        return (f"{head}；{what}没有进入候选（关键词和语义都没排进前 50），"
                "试试用笔记里的说法提问，或者给笔记加一个说清主题的标题")
    where = f"排第 {rank}" if rank is not None else f"没进前 {POOL}"
    tail = f"期望的笔记{where}（{expected.heading or expected.title}）：{_signal_text(expected)}"
    lean = []
    if (first.bm25 or 0) > (expected.bm25 or 0):
        lean.append("关键词")
    if (first.dense or 0) > (expected.dense or 0):
        lean.append("语义")
    reason = f"；排第 1 的那段{'和'.join(lean)}更接近问题" if lean else ""
    miss = "（不在前 {} 条里）".format(k) if rank is None or rank > k else ""
    return f"{head}；{tail}{miss}{reason}"


Search = Callable[[str, int, dict], list[Evidence]]
BestOf = Callable[[str, dict, Callable[[Evidence], bool]], Evidence | None]


def evaluate(questions: Sequence[EvalQuestion], names: dict[str, str], search: Search,
             best_of: BestOf, k: int = 5,
             progress: Callable[[int, int], None] | None = None) -> EvalReport:
    """``search(query, n, signals)`` → the first ``n`` passages, filling ``signals``;
    ``best_of(source, signals, accept)`` → the note's best-scored candidate passage that
    ``accept`` takes (one holding the answer, when one is given), if any."""
    results: list[QuestionResult] = []
    for i, q in enumerate(questions, 1):
        signals: dict = {}
        found = search(q.question, max(k, POOL), signals)
        source = names[q.note]
        rank = next((n for n, ev in enumerate(found, 1) if ev.source == source and _holds(ev, q.answer)),
                    None)
        first = _ranked(found[0], 1, signals) if found else None
        expected_ev = found[rank - 1] if rank else best_of(source, signals,
                                                           lambda ev, a=q.answer: _holds(ev, a))
        expected = _ranked(expected_ev, rank, signals) if expected_ev is not None else None
        results.append(QuestionResult(
            question=q.question, note=source, answer=q.answer, rank=rank,
            found=rank is not None and rank <= k, first=first, expected=expected,
            why="" if rank == 1 else _why(first, expected, rank, k, q.answer)))
        if progress:
            progress(i, len(questions))
    n = len(results)
    hits, firsts = sum(r.found for r in results), sum(r.rank == 1 for r in results)
    return EvalReport(k=k, questions=n, found=hits, first=firsts,
                      recall_at_k=round(hits / n, 3) if n else 0.0,
                      hit_at_1=round(firsts / n, 3) if n else 0.0, results=results)


def best_candidate(source: str, signals: dict[str, Any], accept: Callable[[Evidence], bool],
                   source_of: Callable[[str], str | None],
                   make: Callable[[str], Evidence]) -> Evidence | None:
    """The note's candidate chunk with the best fused rank among ``signals`` that ``accept`` takes."""
    mine = sorted((s.get("fused_rank", 10**9), cid) for cid, s in signals.items() if source_of(cid) == source)
    return next((ev for ev in (make(cid) for _, cid in mine) if accept(ev)), None)
