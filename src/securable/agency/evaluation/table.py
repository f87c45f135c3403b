"""The evaluation as a terminal table, wrapped to ``RenderOptions.width``."""

from __future__ import annotations

from securable.agency.evaluation.evaluate import Evaluation
from securable.agency.evaluation.report import (
    MAX_PROBLEMS,
    SIGNATURE_WORDS,
    cell,
    counts,
    four,
    notes,
    result,
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
    vendors = ev.evaluated
    if vendors:
        names = tuple(v.name.upper() for v in vendors)
        out.append("\n== Totals per capability (met / partial / customer / silent) ==\n")
        totals = [(t.id, str(t.count), *(four(p) for p in t.per_vendor), t.title) for t in ev.totals]
        out.append(table(("CAPABILITY", "REQUIRED", *names, "TITLE"), totals, width=width))
        out.append("\n== Requirements side by side ==\n")
        matrix = [
            (r.item.record.id, *(cell(v) for v in r.verdicts), r.item.record.text or r.item.record.title)
            for r in ev.rows
        ]
        out.append(table(("ID", *names, "REQUIREMENT"), matrix, width=width))
    if ev.questions:
        out.append("\n== Questions for each vendor ==\n")
        questions = [(q.vendor, q.kind, q.text) for q in ev.questions]
        out.append(table(("VENDOR", "ABOUT", "QUESTION"), questions, width=width))
    out.append("\n== Contract clauses ==\n")
    clauses = [
        (c.theme.title, ", ".join(r.id for r in c.required) or "(not called for)", c.theme.clause)
        for c in ev.clauses
    ]
    out.append(table(("CLAUSE", "AGENCY ACTIONS", "WHAT THE CONTRACT SAYS"), clauses, width=width))
    out += [f"note: {n}\n" for n in notes(ev)]
    return "".join(out)


def _wrapped(text: str, indent: str, width: int, *, first: str = "") -> str:
    """``text`` wrapped to ``width``, the first line after ``first``, the others ``indent``ed."""
    lines = wrap(text, width - max(len(indent), len(first)))
    return "".join(f"{first if i == 0 else indent}{line}\n" for i, line in enumerate(lines))
