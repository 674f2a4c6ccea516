"""The quotetrail command line: parse arguments, call the runner or golden, map errors to exits.

Exit codes: 0 clean, 1 differences found or some inputs failed, 2 usage error.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from pipeline.io import UsageError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Who said what, and through which outlet: quote attribution for news articles.",
)
out = Console()
err = Console(stderr=True)


@app.callback()
def main(
    verbose: Annotated[
        int, typer.Option("-v", "--verbose", count=True, help="-v info, -vv debug")
    ] = 0,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="Only errors.")] = False,
) -> None:
    """quotetrail: who said it, and through which outlet it was reported."""
    level = (
        logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    )
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", force=True)


def _usage(exc: UsageError) -> typer.Exit:
    err.print(f"[red]error:[/red] {exc}")
    return typer.Exit(2)


def _summary(result: object) -> None:
    from pipeline.runner import RunResult

    assert isinstance(result, RunResult)
    table = Table(title=f"quotetrail → {result.out_dir}")
    table.add_column("output")
    table.add_column("records", justify="right")
    for name in ("documents", "sentences", "attributions", "quotes", "errors"):
        if name in result.counts or name == "errors":
            table.add_row(f"{name}.jsonl", str(result.counts.get(name, 0)))
    table.add_row("seconds", f"{result.timings.get('total', 0):.1f}")
    out.print(table)
    for e in result.errors[:20]:
        err.print(f"[yellow]{e.path}[/yellow] ({e.stage}) {e.error}: {e.message}")
    if len(result.errors) > 20:
        err.print(f"… and {len(result.errors) - 20} more in {result.out_dir / 'errors.jsonl'}")


@app.command()
def run(
    input_dir: Annotated[
        Path, typer.Argument(help="Folder of articles (.txt .html .htm .jsonl, .gz)")
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output folder")] = Path("out"),
    stages: Annotated[
        str | None, typer.Option(help="Stages to run, e.g. 'strip,segment' (default: all)")
    ] = None,
    model: Annotated[str | None, typer.Option(help="spaCy pipeline to load")] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, help="Worker processes (local Dask workers)")
    ] = 1,
    follow_symlinks: Annotated[
        bool, typer.Option(help="Follow links out of the input folder")
    ] = False,
    full: Annotated[
        bool, typer.Option("--full", help="Re-process every input, even unchanged ones")
    ] = False,
    engine: Annotated[
        str, typer.Option(help="'local' (processes on this machine) or 'dask' (a cluster)")
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address, e.g. tcp://host:8786 (default: local cluster)"),
    ] = None,
) -> None:
    """Run the pipeline over a folder.  Example: quotetrail run corpus/ -o out/"""
    from pipeline.runner import parse_stages
    from pipeline.runner import run as run_pipeline

    try:
        chosen = parse_stages(stages)
        if engine not in ("local", "dask"):
            raise UsageError(f"unknown engine {engine!r}; choose 'local' or 'dask'")
        if scheduler is not None and engine != "dask":
            raise UsageError("--scheduler needs --engine dask")
        with _progress("run") as tick:
            if engine == "dask":
                from pipeline.engine_dask import run as run_dask

                result = run_dask(
                    input_dir,
                    output,
                    chosen,
                    model,
                    jobs,
                    follow_symlinks,
                    scheduler,
                    on_article=tick,
                )
            else:
                result = run_pipeline(
                    input_dir,
                    output,
                    chosen,
                    model,
                    jobs,
                    follow_symlinks,
                    on_article=tick,
                    incremental=not full,
                )
    except UsageError as exc:
        raise _usage(exc) from exc
    _summary(result)
    raise typer.Exit(1 if result.failed else 0)


@app.command()
def strip(
    input_dir: Annotated[Path, typer.Argument(help="Folder of articles")],
    output: Annotated[Path, typer.Argument(help="Output folder")],
    follow_symlinks: Annotated[
        bool, typer.Option(help="Follow links out of the input folder")
    ] = False,
) -> None:
    """Stage strip only: articles → documents.jsonl.  Example: quotetrail strip corpus/ out/"""
    from pipeline.runner import run as run_pipeline

    try:
        result = run_pipeline(input_dir, output, ("strip",), None, 1, follow_symlinks)
    except UsageError as exc:
        raise _usage(exc) from exc
    _summary(result)
    raise typer.Exit(1 if result.failed else 0)


def _one_stage(stage: str, in_dir: Path, output: Path, model: str | None) -> None:
    from pipeline.runner import run_stage

    try:
        result = run_stage(stage, in_dir, output, model)
    except UsageError as exc:
        raise _usage(exc) from exc
    _summary(result)
    raise typer.Exit(1 if result.failed else 0)


@app.command()
def segment(
    in_dir: Annotated[Path, typer.Argument(help="Folder holding documents.jsonl")],
    output: Annotated[Path, typer.Argument(help="Output folder")],
    model: Annotated[str | None, typer.Option(help="spaCy pipeline to load")] = None,
) -> None:
    """Stage segment only: documents → sentences.jsonl.  Example: quotetrail segment out/ out/"""
    _one_stage("segment", in_dir, output, model)


@app.command()
def attribute(
    in_dir: Annotated[Path, typer.Argument(help="Folder holding documents and sentences")],
    output: Annotated[Path, typer.Argument(help="Output folder")],
    model: Annotated[str | None, typer.Option(help="spaCy pipeline to load")] = None,
) -> None:
    """Stage attribute only → attributions.jsonl.  Example: quotetrail attribute out/ out/"""
    _one_stage("attribute", in_dir, output, model)


@app.command()
def tag(
    in_dir: Annotated[Path, typer.Argument(help="Folder holding documents and attributions")],
    output: Annotated[Path, typer.Argument(help="Output folder")],
) -> None:
    """Stage tag only: attributions → quotes.jsonl.  Example: quotetrail tag out/ out/"""
    _one_stage("tag", in_dir, output, None)


@app.command()
def diff(
    output: Annotated[Path, typer.Argument(help="A run's output folder")],
    golden: Annotated[Path, typer.Argument(help="Golden folder (golden/<stage>/<doc_id>.jsonl)")],
    update: Annotated[
        bool,
        typer.Option(help="After showing the differences, rewrite the golden files from OUTPUT"),
    ] = False,
) -> None:
    """Compare with golden files, exit 1 on a difference.  Example: quotetrail diff out/ golden/"""
    from pipeline.golden import diff_dirs, update_golden

    for path, what in ((output, "output"), (golden, "golden")):
        if not path.is_dir() and not (update and what == "golden"):
            raise _usage(UsageError(f"{what} folder {path} does not exist"))
    diffs = diff_dirs(output, golden)
    for d in diffs:
        typer.echo(str(d))
    if update:
        written = update_golden(output, golden)
        err.print(f"wrote {len(written)} golden file(s) under {golden}")
        raise typer.Exit(0)
    if diffs:
        err.print(f"{len(diffs)} difference(s)")
        raise typer.Exit(1)
    err.print("no differences")


@app.command()
def validate(
    output: Annotated[Path, typer.Argument(help="A run's output folder")],
) -> None:
    """Check every record and span of a run's output.  Example: quotetrail validate out/"""
    from pipeline.validate import validate_output

    if not output.is_dir():
        raise _usage(UsageError(f"output folder {output} does not exist"))
    counts, problems = validate_output(output)
    for p in problems:
        typer.echo(p)
    summary = ", ".join(f"{k}: {v}" for k, v in counts.items())
    err.print(f"{summary or 'nothing read'}; {len(problems)} problem(s)")
    raise typer.Exit(1 if problems else 0)


@app.command()
def schema(
    check: Annotated[bool, typer.Option(help="Exit 1 if the committed schemas are stale")] = False,
    directory: Annotated[
        Path | None, typer.Option(help="Where to write (default: schemas/)")
    ] = None,
) -> None:
    """Write the JSON Schema of every record type.  Example: quotetrail schema --check"""
    from schemas.generate import SCHEMA_DIR, render_schemas, write_schemas

    target = directory or SCHEMA_DIR
    if check:
        stale = [
            name
            for name, text in render_schemas().items()
            if not (target / name).is_file() or (target / name).read_text(encoding="utf-8") != text
        ]
        for name in stale:
            typer.echo(f"stale: {target / name}")
        raise typer.Exit(1 if stale else 0)
    for path in write_schemas(target):
        typer.echo(str(path))


def entry() -> None:
    """Console-script entry point."""
    sys.exit(app())


# -- report, evaluation, review -------------------------------------------------------------


def _quiet() -> bool:
    return logging.getLogger().getEffectiveLevel() > logging.WARNING


@contextlib.contextmanager
def _progress(what: str) -> Iterator[Callable[[str], None]]:
    """A progress counter on stderr when it is a terminal (and not -q); silent otherwise."""
    if not err.is_terminal or _quiet():
        yield lambda _doc_id: None
        return
    from rich.progress import (
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        MofNCompleteColumn(),
        TextColumn("[dim]{task.fields[last]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(what, total=None, last="")
        yield lambda doc_id: bar.update(task, advance=1, last=doc_id[-50:])


def _show_problems(problems: list[str], limit: int = 10) -> None:
    for p in problems[:limit]:
        err.print(f"[yellow]warning:[/yellow] {p}", highlight=False)
    if len(problems) > limit:
        err.print(f"… and {len(problems) - limit} more problem(s)")


@app.command("report")
def report_cmd(
    output: Annotated[Path, typer.Argument(help="A run's output folder")],
    target: Annotated[Path, typer.Option("-o", "--output", help="Where to write the page")] = Path(
        "report.html"
    ),
    title: Annotated[str, typer.Option(help="Title of the page")] = "quotetrail report",
    limit: Annotated[
        int | None, typer.Option(min=1, help="Show at most this many articles (summary: all)")
    ] = None,
) -> None:
    """One self-contained HTML page: quotes highlighted by speaker, who-is-quoted charts.

    Example: quotetrail report out/ -o report.html
    """
    from pipeline.report import write_report

    if not output.is_dir():
        raise _usage(UsageError(f"output folder {output} does not exist"))
    try:
        with _progress("report") as tick:
            data = write_report(output, target, title, limit, tick)
    except UsageError as exc:
        raise _usage(exc) from exc
    _show_problems(data.problems)
    n_quotes = sum(len(v) for v in data.quotes.values())
    err.print(f"wrote {target}: {len(data.documents)} articles, {n_quotes} quotes")
    raise typer.Exit(1 if data.problems else 0)


@app.command("eval")
def eval_cmd(
    output: Annotated[Path, typer.Argument(help="A run's output folder")],
    gold: Annotated[Path, typer.Argument(help="Gold quotes, JSONL (see `pipeline.evaluate`)")],
    all_docs: Annotated[
        bool, typer.Option("--all-docs", help="Score every article of OUTPUT, not only GOLD's")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON")] = False,
    errors: Annotated[
        Path | None, typer.Option(help="Write every missed, spurious or wrong field here (JSONL)")
    ] = None,
) -> None:
    """Precision, recall and F1 per field against gold quotes.

    Example: quotetrail eval out/ gold.jsonl --errors mistakes.jsonl
    """
    import json

    from pipeline.evaluate import evaluate, read_gold

    if not output.is_dir():
        raise _usage(UsageError(f"output folder {output} does not exist"))
    try:
        with _progress("eval") as tick:
            result = evaluate(output, read_gold(gold), all_docs, tick)
    except UsageError as exc:
        raise _usage(exc) from exc
    _show_problems(result.problems)
    if errors is not None:
        from pipeline.io import AtomicWriter

        with AtomicWriter(errors) as w:
            for m in result.mistakes:
                w.write(json.dumps(m, ensure_ascii=False) + "\n")
    if as_json:
        out.print_json(json.dumps(result.as_dict()))
        return
    table = Table(title=f"{output} vs {gold}: {result.articles} articles")
    for col in ("field", "tp", "predicted", "gold", "precision", "recall", "F1"):
        table.add_column(col, justify="left" if col == "field" else "right")

    def pct(x: float | None) -> str:
        return "—" if x is None else f"{100 * x:.1f}"

    for s in result.scores.values():
        table.add_row(
            s.field,
            str(s.tp),
            str(s.predicted),
            str(s.gold),
            pct(s.precision),
            pct(s.recall),
            pct(s.f1),
        )
    out.print(table)
    if result.moved:
        err.print(f"{result.moved} gold quote(s) moved to where their text is in the output")


@app.command("import-brat")
def import_brat_cmd(
    ann_dir: Annotated[Path, typer.Argument(help="Folder of brat .ann files")],
    txt_dir: Annotated[Path, typer.Argument(help="Folder of the .txt files they annotate")],
    target: Annotated[Path, typer.Option("-o", "--output", help="Gold JSONL to write")] = Path(
        "gold.jsonl"
    ),
) -> None:
    """Turn brat standoff attributions (PolNeAR) into gold JSONL for `eval`.

    Example: quotetrail import-brat polnear/dev/attributions polnear/dev/text -o gold.jsonl
    """
    from pipeline.brat import import_brat
    from pipeline.evaluate import write_gold

    for path in (ann_dir, txt_dir):
        if not path.is_dir():
            raise _usage(UsageError(f"folder {path} does not exist"))
    gold, problems = import_brat(ann_dir, txt_dir)
    _show_problems(problems)
    n = write_gold(target, gold)
    err.print(f"wrote {n} gold quote(s) of {len({g.doc_id for g in gold})} article(s) to {target}")


@app.command("export-labelstudio")
def export_labelstudio_cmd(
    output: Annotated[Path, typer.Argument(help="A run's output folder")],
    target: Annotated[
        Path, typer.Option("-o", "--output", help="Tasks JSON to write (config beside it)")
    ] = Path("tasks.json"),
) -> None:
    """Label Studio tasks with the predictions pre-filled, and the labelling config.

    Example: quotetrail export-labelstudio out/ -o tasks.json
    """
    from pipeline.labelstudio import config_path, export_tasks

    if not output.is_dir():
        raise _usage(UsageError(f"output folder {output} does not exist"))
    try:
        with _progress("export") as tick:
            n, problems = export_tasks(output, target, tick)
    except UsageError as exc:
        raise _usage(exc) from exc
    _show_problems(problems)
    err.print(f"wrote {n} task(s) to {target} and the labelling config to {config_path(target)}")
    raise typer.Exit(1 if problems else 0)


@app.command("import-labelstudio")
def import_labelstudio_cmd(
    tasks: Annotated[Path, typer.Argument(help="Label Studio JSON export of the project")],
    golden: Annotated[Path, typer.Option("-o", "--output", help="Golden folder")] = Path("golden"),
) -> None:
    """Corrected Label Studio tasks → golden/attribute (and golden/tag) files.

    Example: quotetrail import-labelstudio project.json -o golden/
    """
    from pipeline.labelstudio import import_tasks

    try:
        with _progress("import") as tick:
            written, problems = import_tasks(tasks, golden, tick)
    except UsageError as exc:
        raise _usage(exc) from exc
    _show_problems(problems)
    err.print(f"wrote {len(written)} golden file(s) under {golden}")
    raise typer.Exit(1 if problems else 0)
