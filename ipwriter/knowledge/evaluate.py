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
MAX_QUESTION_CHARS = 500
MAX_FILE_BYTES = 2 * 1024 * 1024
CANDIDATES = 50  # what each of dense and BM25 hands the fusion (lexical.CANDIDATES; a test keeps them equal)
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
    rank: int | None = None  # in the final order (1 = first), None: not in the first ``pool``
    dense: float | None = None  # cosine similarity (e5), None: not among dense candidates
    dense_rank: int | None = None
    bm25: float | None = None  # None: not among BM25's candidates
    bm25_rank: int | None = None
    placed_next: bool = False  # second only as the passage after the first (a "what came next" question)


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
    pool: int  # passages fetched per question: where a note ranked is known up to here
    questions: int
    found: int
    first: int
    recall_at_k: float
    hit_at_1: float
    results: list[QuestionResult]
    warnings: list[str] = []  # what the search lacks now (vectors gone: keywords only)


# -- reading a question file ---------------------------------------------------------------
def _field(row: dict, name: str, where: str, problems: list[str]) -> str:
    for key in FIELDS[name]:
        value = row.get(key)
        if value is None or isinstance(value, bool):
            continue
        if not isinstance(value, (str, int, float)):
            problems.append(f"{where}的 {key} 应当是一段文字")
            return ""
        if str(value).strip():
            return str(value).strip()
    return ""


def _yaml_items(text: str, name: str) -> list[tuple[Any, int]]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"（第 {mark.line + 1} 行）" if mark else ""
        problem = str(getattr(exc, "problem", "") or "格式错误")
        raise ConfigError(f"{name} 不是有效的 YAML{where}：{problem}",
                          f"{name} is not valid YAML{f' (line {mark.line + 1})' if mark else ''}: {problem}"
                          ) from None
    if isinstance(data, dict):
        data = data.get("questions", data.get("问题"))
    if not isinstance(data, list):
        raise ConfigError(f"{name} 里应当是一个问题列表（每项写 question 和 note）",
                          f"{name} must hold a list of questions (question, note)")
    return [({str(k).strip().lower(): v for k, v in d.items()} if isinstance(d, dict) else d, n)
            for n, d in enumerate(data, 1)]


def _table_items(text: str, name: str, delimiter: str) -> list[tuple[Any, int]]:
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = {(h or "").strip().lower() for h in reader.fieldnames or []}
    if not header & set(FIELDS["question"]) or not header & set(FIELDS["note"]):
        raise ConfigError(f"{name} 的第 1 行应当是表头：question（问题）、note（笔记），可选 answer（答案）",
                          f"{name}: the first row must be a header with question and note columns")
    return [({(k or "").strip().lower(): v for k, v in row.items()}, reader.line_num)
            for row in reader]


def parse_questions(text: str | bytes, name: str) -> list[EvalQuestion]:
    """Questions from a file's text or bytes (UTF-8 or GBK); ``name``'s suffix picks the
    format (.csv/.tsv, else YAML)."""
    if len(text) > MAX_FILE_BYTES:
        raise ConfigError(f"{name} 太大（{len(text) / 1048576:.1f} MB），问题文件请在 2 MB 以内",
                          f"{name} is too large for a question file (> 2 MB)")
    if isinstance(text, bytes):
        if not text.strip():
            raise ConfigError(f"{name} 是空文件", f"{name} is empty")
        text = decode_text(text, name)
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in {".csv", ".tsv"}:
        items, unit = _table_items(text, name, "\t" if suffix == ".tsv" else ","), "第 {} 行"
    else:
        items, unit = _yaml_items(text, name), "第 {} 个问题"
    out: list[EvalQuestion] = []
    problems: list[str] = []
    for row, n in items:
        where = unit.format(n)
        if not isinstance(row, dict):
            problems.append(f"{where}不是「question: …, note: …」的形式")
            continue
        question, note = _field(row, "question", where, problems), _field(row, "note", where, problems)
        answer = _field(row, "answer", where, problems)
        if not question or not note:
            if any(isinstance(v, (str, int, float)) and str(v).strip() for v in row.values()):
                problems.append(f"{where}缺少 {'question（问题）' if not question else 'note（笔记）'}")
            continue  # a blank row is skipped
        if len(question) > MAX_QUESTION_CHARS:
            problems.append(f"{where}的问题有 {len(question)} 个字，请写在 {MAX_QUESTION_CHARS} 字以内")
            continue
        out.append(EvalQuestion(question=question, note=note, answer=answer, item=n))
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
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:  # before reading it
            raise ConfigError(f"{path.name} 太大（{size / 1048576:.1f} MB），问题文件请在 2 MB 以内",
                              f"{path.name} is too large for a question file (> 2 MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"读不了问题文件 {path}（{exc.strerror or exc}）",
                          f"cannot read the question file {path}: {exc}") from None
    return parse_questions(data, path.name)


# -- naming notes -----------------------------------------------------------------------------
def _names(source: str, title: str) -> set[str]:
    p = PurePosixPath(source)
    inner = source.split("/", 1)[1] if source.startswith("knowledge/") else source
    return {source, inner, p.name, p.stem, title.strip()} - {""}


def _clean(name: str) -> str:
    name = name.strip().replace("\\", "/")
    return name[2:] if name.startswith("./") else name


def resolve_notes(questions: Sequence[EvalQuestion], sources: Sequence[dict]) -> dict[str, str]:
    """Each name a question uses → the stored source; every unknown, ambiguous or failed
    (ingested with an error, no passages) name at once, before any search."""
    by_name: dict[str, set[str]] = {}
    info = {s["source"]: s for s in sources}
    for s in sources:
        for n in _names(s["source"], s.get("title") or ""):
            by_name.setdefault(n.lower(), set()).add(s["source"])
    resolved: dict[str, str] = {}
    problems: list[str] = []
    for q in questions:
        if q.note in resolved:
            continue
        hits = by_name.get(_clean(q.note).lower(), set())
        usable = {h for h in hits if info[h]["chunks"]}
        if len(usable) == 1:
            resolved[q.note] = next(iter(usable))
        elif len(usable) > 1:
            problems.append(f"第 {q.item} 项的「{q.note}」同时对应 {'、'.join(sorted(usable))}，请写完整路径")
        elif hits:
            failed = sorted(hits)[0]
            reason = info[failed].get("error") or "没有可检索的内容"
            problems.append(f"第 {q.item} 项的笔记 {failed} 导入失败（{reason}），修好后重新导入")
        else:
            close = difflib.get_close_matches(_clean(q.note), sorted(set(info) | {PurePosixPath(s).name
                                                                                  for s in info}), n=3,
                                              cutoff=0.5)
            hint = f"，你是不是指：{'、'.join(close)}" if close else "（用 ipwriter sources list 查看笔记名）"
            problems.append(f"第 {q.item} 项的笔记「{q.note}」不在知识库里{hint}")
    if problems:
        raise ConfigError("；".join(problems[:8]) + ("……" if len(problems) > 8 else ""),
                          f"{len(problems)} note name(s) in the question file match no single note")
    return resolved


def check_answers(questions: Sequence[EvalQuestion], names: dict[str, str],
                  passages: dict[str, list[str]]) -> None:
    """An answer phrase no passage of its note holds is a typo, not a retrieval miss: say so
    first. ``passages``: each stored note's passages (title, headings and text)."""
    problems = []
    for q in questions:
        if q.answer and not any(_squash(q.answer) in _squash(p) for p in passages.get(names[q.note], [])):
            problems.append(f"第 {q.item} 项的答案「{q.answer}」不在笔记 {names[q.note]} 的任何一段里"
                            "（检查错字；答案跨了两段时写短一点）")
    if problems:
        raise ConfigError("；".join(problems[:8]) + ("……" if len(problems) > 8 else ""),
                          f"{len(problems)} answer phrase(s) not found in their notes")


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
                  bm25_rank=s.get("bm25_rank"), placed_next="next_of" in s)


def _signal_text(r: Ranked) -> str:
    if r.placed_next:
        return "问的是「下一步」，它作为第 1 名的下一段排在第 2"
    bm25 = (f"关键词 BM25 {r.bm25:.2f}（第 {r.bm25_rank}）" if r.bm25 is not None
            else f"关键词得分不在前 {CANDIDATES} 名")
    dense = (f"语义相似度 {r.dense:.3f}（第 {r.dense_rank}）" if r.dense is not None
             else f"语义不在前 {CANDIDATES} 名")
    return f"{bm25}，{dense}"


def _why(first: Ranked | None, expected: Ranked | None, rank: int | None, k: int, pool: int,
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
        return (f"{head}；{what}没有进入候选（关键词和语义都没排进前 {CANDIDATES}），"
                "试试用笔记里的说法提问，或者给笔记加一个说清主题的标题")
    where = f"排第 {rank}" if rank is not None else f"没进前 {pool}"
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


def evaluate(questions: Sequence[EvalQuestion], names: dict[str, str], search: Search,
             passage: Callable[[str], Evidence | None], *, k: int = 5, pool: int = 20,
             progress: Callable[[int, int], None] | None = None) -> EvalReport:
    """``search(query, n, signals)`` → the first ``n`` passages, filling ``signals`` with
    each candidate's scores; ``passage(chunk_id)`` → that stored passage (to show the
    expected note's best candidate when it is not among the first ``pool``)."""
    results: list[QuestionResult] = []
    for i, q in enumerate(questions, 1):
        signals: dict = {}
        found = search(q.question, pool, signals)
        source = names[q.note]
        rank = next((n for n, ev in enumerate(found, 1) if ev.source == source and _holds(ev, q.answer)),
                    None)
        first = _ranked(found[0], 1, signals) if found else None
        expected_ev = found[rank - 1] if rank else _best_candidate(source, q.answer, signals, passage)
        expected = _ranked(expected_ev, rank, signals) if expected_ev is not None else None
        results.append(QuestionResult(
            question=q.question, note=source, answer=q.answer, rank=rank,
            found=rank is not None and rank <= k, first=first, expected=expected,
            why="" if rank == 1 else _why(first, expected, rank, k, pool, q.answer)))
        if progress:
            progress(i, len(questions))
    n = len(results)
    hits, firsts = sum(r.found for r in results), sum(r.rank == 1 for r in results)
    return EvalReport(k=k, pool=pool, questions=n, found=hits, first=firsts,
                      recall_at_k=round(hits / n, 3) if n else 0.0,
                      hit_at_1=round(firsts / n, 3) if n else 0.0, results=results)


def _best_candidate(source: str, answer: str, signals: dict[str, Any],
                    passage: Callable[[str], Evidence | None]) -> Evidence | None:
    """The note's candidate passage (holding the answer, if one is given) with the best fused rank."""
    for _, cid in sorted((s.get("fused_rank", 10**9), cid) for cid, s in signals.items()):
        ev = passage(cid)
        if ev is not None and ev.source == source and _holds(ev, answer):
            return ev
    return None
