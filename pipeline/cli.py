"""The quotetrail command line: parse arguments, call the runner or golden, map errors to exits.

Exit codes: 0 clean, 1 differences found or some inputs failed, 2 usage error.
"""

from __future__ import annotations

import logging
import sys
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
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes")] = 1,
    follow_symlinks: Annotated[
        bool, typer.Option(help="Follow links out of the input folder")
    ] = False,
) -> None:
    """Run the pipeline over a folder.  Example: quotetrail run corpus/ -o out/"""
    from pipeline.runner import parse_stages
    from pipeline.runner import run as run_pipeline

    try:
        chosen = parse_stages(stages)
        result = run_pipeline(input_dir, output, chosen, model, jobs, follow_symlinks)
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
        if not path.is_dir():
            raise _usage(UsageError(f"{what} folder {path} does not exist"))
    diffs = diff_dirs(output, golden)
    for d in diffs:
        out.print(str(d), markup=False, highlight=False)
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
        out.print(p, markup=False, highlight=False)
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
            out.print(f"stale: {target / name}")
        raise typer.Exit(1 if stale else 0)
    for path in write_schemas(target):
        out.print(str(path))


def entry() -> None:
    """Console-script entry point."""
    sys.exit(app())
