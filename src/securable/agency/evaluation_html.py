"""The evaluation as one self-contained, accessible HTML page (Jinja2, autoescaped).

Accessibility: the page language is set, there is one ``h1`` and no skipped heading level, a skip
link leads to the main content, every table has a caption and header cells with ``scope``, and a
status is always written out in words (colour only repeats it). The stylesheet is inline so the
page opens anywhere, from an email attachment to an air-gapped laptop.
"""

from __future__ import annotations

from functools import cache

import jinja2
from markupsafe import Markup

from securable import __version__
from securable.agency.evaluate import MET, STATUSES, Evaluation
from securable.agency.evaluation_report import (
    ERROR_WORDS,
    LABELS,
    MAX_PROBLEMS,
    MEANINGS,
    SECTION_TITLES,
    SIGNATURE_WORDS,
    cell,
    claims_text,
    counts,
    customer_ids,
    four,
    notes,
    result,
)
from securable.agency.links import FEDERAL
from securable.rendering.formats import RenderOptions

_CSS = """
body { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 75rem; margin: 0 auto;
       padding: 1rem; color: #1b1b1b; background: #fff; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: bold; }
th, td { border: 1px solid #565c65; padding: .25rem .5rem; vertical-align: top; }
th { text-align: left; } td.num { text-align: right; }
.met { background: #e3f5e1; } .partial, .customer-burden { background: #fef0c8; }
.silent { background: #f0f0f0; }
.skip-link { position: absolute; left: -999px; } .skip-link:focus { position: static; }
a { color: #005ea2; } a:focus { outline: 3px solid #2491ff; }
ul.checklist { list-style: none; padding-left: 0; } ul.checklist li { margin: .5rem 0; }
"""

# One page, one template, kept in the module: the package data (pyproject.toml) ships template
# files from securable/package/templates only, and this page shares nothing with those.
_TEMPLATE = """<!DOCTYPE html>
{% macro vendor_columns() %}
{% for v in ev.evaluated %}<th scope="col">{{ v.name }}</th>{% endfor %}
{% endmacro %}
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vendor evaluation: {{ req.title }}</title><style>{{ css }}</style></head>
<body>
<a class="skip-link" href="#main">Skip to the evaluation</a>
<header><h1>Vendor evaluation: {{ req.title }}</h1>
<p>Requirements: {{ req.source }}{% if req.control_source %}, for the {{ req.control_source }}{% endif %}:
{{ found.technical }} device cybersecurity capabilities, {{ found.support }} manufacturer support
requirements and {{ found.agency }} Agency actions. Evaluated by Securable {{ version }}:
{{ ev.evaluated | length }} of {{ ev.vendors | length }} vendors.</p></header>
<nav aria-label="Contents"><ul>
<li><a href="#vendors">Vendors</a></li>
{% if ev.evaluated %}
<li><a href="#summary">Summary</a></li>
<li><a href="#side-by-side">Requirements side by side</a></li>
<li><a href="#how">How each vendor meets the requirements</a></li>
<li><a href="#customer">Where the customer would carry the burden</a></li>
{% endif %}
<li><a href="#questions">Questions for each vendor</a></li>
<li><a href="#clauses">Contract clauses</a></li>
<li><a href="#notes">Notes</a></li></ul></nav>
<main id="main">
<section aria-labelledby="vendors"><h2 id="vendors">Vendors</h2>
<table><caption>Vendors, how each was given, and whether it could be evaluated</caption>
<thead><tr><th scope="col">Vendor</th><th scope="col">Product</th><th scope="col">Manufacturer</th>
<th scope="col">Given as</th><th scope="col">Signature</th><th scope="col">Result</th></tr></thead>
<tbody>
{% for v in ev.vendors %}
<tr><th scope="row">{{ v.name }}</th><td>{{ v.product }}</td><td>{{ v.manufacturer }}</td>
<td>{{ v.kind }} {{ v.path }}</td><td>{{ signature[v.signature] }}</td><td>{{ result(v) }}</td></tr>
{% endfor %}
</tbody></table>
{% for v in ev.vendors if v.error or v.warnings %}
<h3 id="vendor-{{ loop.index }}">{{ v.name }}:
{{ errors[v.error.kind] if v.error else "warnings" }}</h3>
{% if v.error %}
<p>{{ v.error.message }}</p>
{% if v.error.problems %}
<ul>
{% for p in v.error.problems[:max_problems] %}
<li>{% if p.path %}<code>{{ p.path }}</code>: {% endif %}{{ p.message }}</li>
{% endfor %}
{% if v.error.problems | length > max_problems %}
<li>and {{ v.error.problems | length - max_problems }} more (see the JSON report)</li>
{% endif %}
</ul>
{% endif %}
{% endif %}
{% if v.warnings %}<ul>{% for w in v.warnings %}<li>{{ w }}</li>{% endfor %}</ul>{% endif %}
{% endfor %}
</section>
{% if ev.evaluated %}
<section aria-labelledby="summary"><h2 id="summary">Summary</h2>
<table><caption>Requirements per status and vendor</caption>
<thead><tr><th scope="col">Status</th>{{ vendor_columns() }}</tr></thead><tbody>
{% for s in statuses %}
<tr><th scope="row">{{ meanings[s] }}</th>
{% for t in overall %}<td class="num">{{ t[s] }}</td>{% endfor %}</tr>
{% endfor %}
<tr><th scope="row">Requirements</th>
{% for v in ev.evaluated %}<td class="num">{{ ev.rows | length }}</td>{% endfor %}</tr>
</tbody></table>
<table><caption>Totals per capability: met / partial / customer / silent</caption>
<thead><tr><th scope="col">Capability</th><th scope="col">Requirements</th>{{ vendor_columns() }}</tr>
</thead><tbody>
{% for t in ev.totals %}
<tr><th scope="row">{{ t.id }} {{ t.title }}</th><td class="num">{{ t.count }}</td>
{% for per in t.per_vendor %}<td class="num">{{ four(per) }}</td>{% endfor %}</tr>
{% endfor %}
</tbody></table></section>
<section aria-labelledby="side-by-side"><h2 id="side-by-side">Requirements side by side</h2>
<dl>{% for s in statuses %}<dt>{{ labels[s] }}</dt><dd>{{ meanings[s] }}</dd>{% endfor %}</dl>
{% for section in sections %}
<h3 id="section-{{ section.key }}">{{ section.title }}</h3>
{% for cap in section.capabilities %}
<table><caption>{{ cap.id }} {{ cap.title }}</caption>
<thead><tr><th scope="col">Requirement</th>{{ vendor_columns() }}</tr></thead><tbody>
{% for row in cap.rows %}
<tr><th scope="row"><strong>{{ row.item.record.id }}</strong>
{{ row.item.record.text or row.item.record.title }}
{%- if row.item.added %} <em>(added by the agency: {{ row.item.added }})</em>{% endif %}</th>
{% for v in row.verdicts %}<td class="{{ css_class(v.status) }}">{{ cell(v) }}</td>{% endfor %}</tr>
{% endfor %}
</tbody></table>
{% endfor %}
{% endfor %}
</section>
<section aria-labelledby="how"><h2 id="how">How each vendor meets the requirements</h2>
{% for v in ev.evaluated %}
{% set i = loop.index0 %}
<h3 id="how-{{ loop.index }}">{{ v.name }}</h3>
<ul>
{% for row in ev.rows if row.verdicts[i].status != "silent" %}
{% set verdict = row.verdicts[i] %}
<li><strong>{{ row.item.record.id }}</strong> {{ cell(verdict) }}: {{ claims_text(verdict) }}
{%- if verdict.note %} ({{ verdict.note }}){% endif %}</li>
{% else %}
<li>Nothing is claimed for any requirement.</li>
{% endfor %}
</ul>
{% endfor %}
</section>
<section aria-labelledby="customer"><h2 id="customer">Where the customer would carry the burden</h2>
<ul>
{% for v in ev.evaluated %}
{% set carried, shared = customer_ids(ev, loop.index0) %}
<li><strong>{{ v.name }}</strong>: carried by the customer: {{ carried }};
shared with the customer: {{ shared }}</li>
{% endfor %}
</ul></section>
{% endif %}
<section aria-labelledby="questions"><h2 id="questions">Questions for each vendor</h2>
{% for v in ev.vendors %}
<h3 id="questions-{{ loop.index }}">{{ v.name }}</h3>
{% set mine = ev.questions | selectattr("vendor", "equalto", v.name) | list %}
{% if mine %}
<ol>{% for q in mine %}<li>{{ q.text }}</li>{% endfor %}</ol>
{% else %}
<p>Nothing to ask.</p>
{% endif %}
{% endfor %}
</section>
<section aria-labelledby="clauses"><h2 id="clauses">Contract clauses</h2>
<p>Drawn from the Agency actions of {{ federal }} that the requirements include; the wording is
Securable's, the records cited are NIST's.</p>
<ul class="checklist">
{% for c in ev.clauses if c.on_checklist %}
<li><input type="checkbox" id="clause-{{ c.theme.key }}">
<label for="clause-{{ c.theme.key }}"><strong>{{ c.theme.title }}</strong>: {{ c.theme.clause }}
(Agency actions: {{ c.required | map(attribute="id") | join(", ") }})</label></li>
{% endfor %}
</ul>
{% set left = ev.clauses | rejectattr("on_checklist") | list %}
{% if left %}
<p>Not called for by these requirements (add them by tailoring if they apply):</p>
<ul>
{% for c in left %}<li>{{ c.theme.title }}: {{ c.others | map(attribute="id") | join(", ") }}</li>{% endfor %}
</ul>
{% endif %}
</section>
<section aria-labelledby="notes"><h2 id="notes">Notes</h2><ul>
{% for n in notes %}<li>{{ n }}</li>{% endfor %}
</ul></section>
</main></body></html>
"""


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        autoescape=True,  # vendor files are untrusted: their text must never become markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env.from_string(_TEMPLATE)


def to_html(ev: Evaluation, options: RenderOptions) -> str:
    return _template().render(
        ev=ev,
        req=ev.requirements,
        found=counts(ev),
        version=__version__,
        css=Markup(_CSS),  # our own constant: trusted
        statuses=STATUSES,
        labels=LABELS,
        meanings=MEANINGS,
        signature=SIGNATURE_WORDS,
        errors=ERROR_WORDS,
        max_problems=MAX_PROBLEMS,
        overall=[ev.overall(i) for i in range(len(ev.evaluated))],
        sections=_sections(ev),
        notes=notes(ev),
        federal=FEDERAL,
        result=result,
        cell=cell,
        four=four,
        css_class=lambda status: "met" if status in MET else status,
        claims_text=claims_text,
        customer_ids=customer_ids,
    )


def _sections(ev: Evaluation) -> list[dict[str, object]]:
    """Rows grouped by section, then capability, for the side-by-side tables."""
    out: list[dict[str, object]] = []
    for key, title in SECTION_TITLES.items():
        caps = []
        for totals in ev.totals:
            rows = [
                r for r in ev.rows if r.item.section == key and r.item.record.id.split("-", 1)[0] == totals.id
            ]
            if rows:
                caps.append({"id": totals.id, "title": totals.title, "rows": rows})
        if caps:
            out.append({"key": key, "title": title, "capabilities": caps})
    return out
