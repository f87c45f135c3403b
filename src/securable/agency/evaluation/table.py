"""The evaluation as a terminal table, wrapped to ``RenderOptions.width``."""

from __future__ import annotations

from securable.agency.evaluation.evaluate import Evaluation
from securable.agency.evaluation.report import (
    MAX_PROBLEMS,
    SIGNATURE_WORDS,
    bottom_line,
    cell,
    counts,
    four,
    notes,
    priority_notes,
    priority_text,
    result,
    summary,
)
from securable.rendering.formats import RenderOptions
from securable.rendering.layout import block, table, wrap


def to_table(ev: Evaluation, options: RenderOptions) -> str:
    width = options.width
    req = ev.requirements
    out = [f"Vendor evaluation: {req.title}\n\n"]
    out.append(
        block([("requirements", req.source), *((k, str(n)) for k, n in counts(ev).items())], width=width)
    )
    vendors = ev.evaluated
    if vendors:
        out.append("\n== Bottom line ==\n")
        out += [_wrapped(bottom_line(ev, i), "  ", width) for i in range(len(vendors))]
        for i, v in enumerate(vendors):
            out.append(f"\n== Summary: {v.name} ==\n")
            out.append(block(summary(ev, i), width=width))
        deciding = ev.deciding()
        out.append("\n== Requirements that decide ==\n")
        rows = [
            (r.item.record.id, *(cell(v) for v in r.verdicts), r.item.record.text or r.item.record.title)
            for r in deciding
        ]
        out.append(table(("ID", *(v.name.upper() for v in vendors), "REQUIREMENT"), rows, width=width))
    out.append("\n== Vendors ==\n")
    rows = [(v.name, SIGNATURE_WORDS[v.signature], result(v), v.product or v.path) for v in ev.vendors]
    out.append(table(("VENDOR", "SIGNATURE", "RESULT", "PRODUCT"), rows, width=width))
    for v in ev.vendors:
        if v.error is not None:
            out.append("\n" + _wrapped(f"{v.name}: {v.error.message}", "", width))
            for problem in v.error.problems[:MAX_PROBLEMS]:  # JSON paths are long: a line of their own
                where = f"  {problem.path}:\n" if problem.path else ""
                out.append(f"{where}{_wrapped(problem.message, '    ', width, first='    ')}")
            if len(v.error.problems) > MAX_PROBLEMS:
                out.append(f"  and {len(v.error.problems) - MAX_PROBLEMS} more (see --format json)\n")
        out += ["\n" + _wrapped(f"{v.name}: warning: {w}", "  ", width) for w in v.warnings]
    if vendors:
        names = tuple(v.name.upper() for v in vendors)
        out.append("\n== Totals per capability (met / partial / customer / silent) ==\n")
        totals = [(t.id, str(t.count), *(four(p) for p in t.per_vendor), t.title) for t in ev.totals]
        out.append(table(("CAPABILITY", "REQUIRED", *names, "TITLE"), totals, width=width))
        out.append("\n== Requirements side by side ==\n")
        matrix = [
            (
                r.item.record.id,
                priority_text(r),
                *(cell(v) for v in r.verdicts),
                r.item.record.text or r.item.record.title,
            )
            for r in ev.rows
        ]
        out.append(table(("ID", "PRIORITY", *names, "REQUIREMENT"), matrix, width=width))
    if ev.questions:
        out.append("\n== Questions for each vendor ==\n")
        questions = [(q.vendor, q.kind, q.text) for q in ev.questions]
        out.append(table(("VENDOR", "ABOUT", "QUESTION"), questions, width=width))
    out.append("\n== Contract clauses ==\n")
    clauses = [
        (c.theme.title, ", ".join(r.id for r in c.required) or "(not called for)", c.theme.clause)
        for c in ev.clauses
    ]
    out.append(clause_table(("CLAUSE", "AGENCY ACTIONS", "WHAT THE CONTRACT SAYS"), clauses, width=width))
    out += [f"note: {n}\n" for n in notes(ev)]
    out += [f"note: priority {n}\n" for n in priority_notes()]
    return "".join(out)


def clause_table(headers: tuple[str, str, str], rows: list[tuple[str, str, str]], *, width: int) -> str:
    """Three columns, each wrapped: the first two get what their longest word and a share of the
    width need, the clause text the rest. Agency action lists are long single lines, so sizing the
    first columns to their content (as :func:`table` does) leaves the clause ~20 characters."""
    gap = 2
    first = min(max(len(headers[0]), *(len(r[0]) for r in rows)), max(12, width // 5))
    words = max(len(w) for r in rows for w in r[1].split() or [""])
    second = min(max(len(headers[1]), *(len(r[1]) for r in rows)), max(words, width // 4))
    third = max(20, width - first - second - 2 * gap)
    out = [f"{headers[0].ljust(first)}  {headers[1].ljust(second)}  {headers[2]}".rstrip()]
    out.append(f"{'-' * first}  {'-' * second}  {'-' * min(third, max(len(r[2]) for r in rows))}")
    for row in rows:
        columns = [wrap(row[0], first), wrap(row[1], second), wrap(row[2], third)]
        for i in range(max(len(c) for c in columns)):
            parts = [c[i] if i < len(c) else "" for c in columns]
            out.append(f"{parts[0].ljust(first)}  {parts[1].ljust(second)}  {parts[2]}".rstrip())
    return "\n".join(out) + "\n"


def _wrapped(text: str, indent: str, width: int, *, first: str = "") -> str:
    """``text`` wrapped to ``width``, the first line after ``first``, the others ``indent``ed."""
    lines = wrap(text, width - max(len(indent), len(first)))
    return "".join(f"{first if i == 0 else indent}{line}\n" for i, line in enumerate(lines))
