"""Bad input loses nothing: every case of a dirty scraped corpus, tabulated with its outcome.

Each case is a set of files written beside one good article; ``quotetrail run`` goes over the
folder, and the test checks the exit code, errors.jsonl (exactly the expected lines: path,
stage, error type, a message a person can act on), the documents written (the good article
always among them), and that every record of every stage is valid against its article's text
with no records of an input that failed. Add a case by adding a line to CASES.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import runner as runner_mod
from pipeline.cli import app
from pipeline.validate import validate_output

cli = CliRunner()

GOOD_NAME = "good.txt"
GOOD = (
    "Council Approves Transit Budget After Long Debate\n\n"
    "The city council approved the new transit budget on Tuesday after a lengthy debate "
    "over bus routes and fares.\n\n"
    "“We have listened to residents and this plan reflects what they asked for,” the "
    "council chair, Maria Lopez, told reporters after the vote.\n\n"
    "Opponents argued that the plan would raise costs for commuters in the outer districts, "
    "according to a statement from the riders' union.\n"
)


def article(marker: str, curly: bool = True) -> str:
    """A short article whose body carries ``marker`` (to check it decoded right)."""
    text = (
        f"Harbour Plan Wins Backing From {marker}\n\n"
        f"The harbour plan won the backing of {marker} and the port authority on Monday.\n\n"
        "“This is the best chance we have had in a decade,” the port director, Ana Ruiz, "
        "said after the meeting.\n\n"
        "Work on the first pier is expected to start next year, officials said.\n"
    )
    return text if curly else text.replace("“", '"').replace("”", '"')


def html_page(body: str, title: str = "Harbour Plan Wins Backing") -> str:
    """A plain news page around ``body`` paragraphs."""
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>{title}</h1>{body}</article></body></html>"
    )


LONG_PARAS = "".join(
    f"<p>{s}</p>"
    for s in (
        "The harbour plan won the backing of the city council and the port authority on "
        "Monday after months of negotiations over the cost of dredging the channel.",
        "“This is the best chance we have had in a decade,” the port director, Ana Ruiz, "
        "said after the meeting, adding that the work would create hundreds of jobs.",
        "Work on the first pier is expected to start next year, officials said, once the "
        "environmental review of the estuary has been completed and published.",
        "Residents of the waterfront district have asked for a say in the design of the new "
        "promenade, which would run along the eastern side of the harbour.",
    )
)

#: The text of a file as bytes, or a function that builds it in the input folder.
Content = bytes | Callable[[Path], None]


@dataclass(frozen=True)
class Err:
    """One expected line of errors.jsonl."""

    path: str
    error: str
    message: str  # a part of the message (case-insensitive)
    stage: str = "strip"


@dataclass(frozen=True)
class Case:
    """Files written beside good.txt, and what the run must give."""

    name: str
    files: dict[str, Content]
    errors: list[Err] = field(default_factory=list)
    #: doc_ids expected in documents.jsonl besides "good", in output order with it.
    documents: list[str] = field(default_factory=list)
    #: doc_id -> a string its clean text must contain (decoding is right).
    contains: dict[str, str] = field(default_factory=dict)
    args: tuple[str, ...] = ()
    #: Why the case is known to fail (strict xfail), until the fix lands.
    xfail: str | None = None


def _symlink(name: str, target: Callable[[Path], Path], directory: bool = False) -> Content:
    def make(root: Path) -> None:
        (root / name).symlink_to(target(root), target_is_directory=directory)

    return make


def _outside(root: Path) -> Path:
    outside = root.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "o.txt").write_text(article("The Outside Folder"), encoding="utf-8")
    return outside / "o.txt"


def _bytes_name(raw_name: bytes, content: bytes) -> Content:
    def make(root: Path) -> None:
        os.makedirs(os.path.dirname(os.path.join(os.fsencode(root), raw_name)), exist_ok=True)
        with open(os.path.join(os.fsencode(root), raw_name), "wb") as fh:
            fh.write(content)

    return make


BINARY = bytes(range(256)) * 64
GB_TEXT = (
    "港口计划获得市议会支持\n\n"
    "市议会和港务局周一支持了港口计划，此前双方就航道疏浚费用进行了数月的谈判。\n\n"
    "港务局局长安娜·鲁伊斯在会后表示：“这是我们十年来最好的机会。”\n\n"
    "官员们说，第一座码头的工程预计明年开始，届时河口的环境审查将已完成并公布。\n"
)
GOOD_JSONL = json.dumps({"id": "feed-ok", "text": article("The Feed")})

CASES: list[Case] = [
    # -- not text at all ------------------------------------------------------------------------
    Case("binary named .txt", {"blob.txt": BINARY}, [Err("blob.txt", "InputError", "binary")]),
    Case(
        "PDF named .txt",
        {"paper.txt": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"},
        [Err("paper.txt", "InputError", "PDF")],
    ),
    Case(
        "PNG named .txt",
        {"photo.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + BINARY[:200]},
        [Err("photo.txt", "InputError", "PNG image")],
    ),
    Case(
        "JPEG named .html",
        {"photo.html": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + BINARY[:200]},
        [Err("photo.html", "InputError", "JPEG image")],
    ),
    # -- encodings ------------------------------------------------------------------------------
    Case(
        "invalid UTF-8 (a stray byte in UTF-8 text)",
        {
            "broken.txt": article("the “Quay” Committee")
            .encode("utf-8")
            .replace(b"Monday", b"\xffMonday")
        },
        [Err("broken.txt", "InputError", "UTF-8")],
    ),
    Case(
        "Latin-1",
        {
            "latin1.txt": article("Señor Muñoz and the Café Committee", curly=False).encode(
                "latin-1"
            )
        },
        documents=["latin1"],
        contains={"latin1": "Señor Muñoz and the Café Committee"},
    ),
    Case(
        "Windows-1252 (curly quotes, euro sign)",
        {"cp1252.txt": article("the €5m “Quay” Fund").encode("cp1252")},
        documents=["cp1252"],
        contains={"cp1252": "the €5m “Quay” Fund"},
    ),
    Case(
        "GB18030",
        {"zh.txt": GB_TEXT.encode("gb18030")},
        documents=["zh"],
        contains={"zh": "港务局局长安娜·鲁伊斯在会后表示"},
    ),
    Case(
        "UTF-16 LE with a BOM",
        {"utf16le.txt": b"\xff\xfe" + article("Zoë Ødegaard").encode("utf-16-le")},
        documents=["utf16le"],
        contains={"utf16le": "Zoë Ødegaard"},
    ),
    Case(
        "UTF-16 BE with a BOM",
        {"utf16be.txt": b"\xfe\xff" + article("Zoë Ødegaard").encode("utf-16-be")},
        documents=["utf16be"],
        contains={"utf16be": "Zoë Ødegaard"},
    ),
    Case(
        "UTF-8 with a BOM",
        {"bom.txt": b"\xef\xbb\xbf" + article("Zoë Ødegaard").encode("utf-8")},
        documents=["bom"],
        contains={"bom": "Zoë Ødegaard"},
    ),
    # -- nothing to read ------------------------------------------------------------------------
    Case("empty file", {"empty.txt": b""}, [Err("empty.txt", "InputError", "empty")]),
    Case(
        "whitespace-only file",
        {"blank.txt": b"  \n\t\n \r\n\xc2\xa0\n"},
        [Err("blank.txt", "InputError", "whitespace")],
    ),
    # -- HTML -------------------------------------------------------------------------------------
    Case(
        "truncated HTML (the article is there: kept, as a browser would)",
        {"cut.html": html_page(LONG_PARAS).encode("utf-8")[:-60]},
        documents=["cut"],
        contains={"cut": "best chance we have had in a decade"},
    ),
    Case(
        "malformed HTML (unclosed tags, stray closers)",
        {
            "messy.html": (
                "<html><body><div><article><h1>Harbour Plan Wins Backing</h1>"
                + LONG_PARAS.replace("</p>", "", 2)
                + "</span></td></article></p></body>"
            ).encode("utf-8")
        },
        documents=["messy"],
        contains={"messy": "best chance we have had in a decade"},
    ),
    Case(
        "HTML cut before any text",
        {"stub.html": b"<!DOCTYPE html><html><head><title>Harb"},
        [Err("stub.html", "InputError", "no article text")],
    ),
    Case(
        "HTML of scripts and styles only",
        {
            "scripts.html": (
                "<html><head><style>body{color:red} p{margin:0}</style>"
                "<script>var x = 'Breaking: “quote” here'; console.log(x);</script></head>"
                "<body><script src='/app.js'></script><noscript></noscript>"
                "<style>.a{}</style></body></html>"
            ).encode()
        },
        [Err("scripts.html", "InputError", "no article text")],
    ),
    # -- compressed ----------------------------------------------------------------------------
    Case(
        "truncated .gz",
        {"cut.txt.gz": gzip.compress(article("The Gzip").encode("utf-8"))[:50]},
        [Err("cut.txt.gz", "InputError", "gzip")],
    ),
    Case(
        "gzip named .txt",
        {"zipped.txt": gzip.compress(article("The Gzip").encode("utf-8"))},
        [Err("zipped.txt", "InputError", "gzip")],
    ),
    Case(
        "good .gz",
        {"ok.txt.gz": gzip.compress(article("The Gzip").encode("utf-8"))},
        documents=["ok"],
    ),
    # -- JSONL ---------------------------------------------------------------------------------
    Case(
        "JSONL with broken lines, missing fields and wrong types",
        {
            "feed.jsonl": "\n".join(
                [
                    GOOD_JSONL,
                    '{"id": "x", "text": "unterminated',
                    '{"id": "y", "url": "https://example.com/a"}',
                    '{"id": "z", "text": 42}',
                    '{"id": ["list"], "text": "Some text."}',
                    '{"text": "A body.", "url": 7}',
                    "[1, 2, 3]",
                    json.dumps({"id": "feed-ok2", "text": article("The Second Feed")}),
                ]
            ).encode("utf-8")
        },
        [
            Err("feed.jsonl:2", "InputError", "not valid JSON"),
            Err("feed.jsonl:3", "InputError", "text: missing"),
            Err("feed.jsonl:4", "InputError", "text: expected a string, got int"),
            Err("feed.jsonl:5", "InputError", "id: expected a string or integer"),
            Err("feed.jsonl:6", "InputError", "url: expected a string"),
            Err("feed.jsonl:7", "InputError", "expected a JSON object"),
        ],
        documents=["feed-ok", "feed-ok2"],
    ),
    Case(
        "JSONL line with an empty text",
        {"feed.jsonl": (GOOD_JSONL + '\n{"id": "e", "text": "  "}\n').encode("utf-8")},
        [Err("feed.jsonl:2", "InputError", "text: empty")],
        documents=["feed-ok"],
    ),
    # -- links ---------------------------------------------------------------------------------
    Case(
        "symlink loop (a link to itself)",
        {"loop.txt": _symlink("loop.txt", lambda root: root / "loop.txt")},
        [Err("loop.txt", "InputError", "looping symlink")],
    ),
    Case(
        "symlink loop (a folder linking to its parent): walked once",
        {"sub": _symlink("sub", lambda root: root, directory=True)},
    ),
    Case(
        "broken symlink",
        {"gone.txt": _symlink("gone.txt", lambda root: root / "nowhere.txt")},
        [Err("gone.txt", "InputError", "broken")],
    ),
    Case(
        "symlink to a file outside the input folder: not followed",
        {"ext.txt": _symlink("ext.txt", _outside)},
        [Err("ext.txt", "InputError", "--follow-symlinks")],
    ),
    Case(
        "symlink outside, with --follow-symlinks: read",
        {"ext.txt": _symlink("ext.txt", _outside)},
        documents=["ext"],
        contains={"ext": "The Outside Folder"},
        args=("--follow-symlinks",),
    ),
    # -- names -----------------------------------------------------------------------------------
    Case(
        "names with spaces, non-ASCII characters and a newline",
        {
            "my article.txt": article("The Space").encode("utf-8"),
            "café – été.txt": article("The Accent").encode("utf-8"),
            "line\nbreak.txt": article("The Newline").encode("utf-8"),
        },
        documents=["café – été", "line\nbreak", "my article"],
    ),
    Case(
        "a file name that is not UTF-8",
        {"latin1-name": _bytes_name(b"caf\xe9.txt", article("The Name").encode("utf-8"))},
        [Err("caf\\xe9.txt", "InputError", "not valid UTF-8")],
    ),
    Case(
        "a folder name that is not UTF-8",
        {"latin1-dir": _bytes_name(b"\xe9t\xe9/a.txt", article("The Folder").encode("utf-8"))},
        [Err("\\xe9t\\xe9/a.txt", "InputError", "not valid UTF-8")],
    ),
    # -- duplicates ----------------------------------------------------------------------------
    Case(
        "two inputs with the same doc_id (a.html, a.txt): the second is an error",
        {
            "a.html": html_page(LONG_PARAS).encode("utf-8"),
            "a.txt": article("The Text Twin").encode("utf-8"),
        },
        [Err("a.txt", "DuplicateDocId", "a.html")],
        documents=["a"],
        contains={"a": "best chance we have had in a decade"},
    ),
    Case(
        "a JSONL id that a file already took",
        {"later.jsonl": json.dumps({"id": "good", "text": article("The Feed")}).encode("utf-8")},
        [Err("later.jsonl:1", "DuplicateDocId", "good.txt")],
    ),
]


def _write(root: Path, files: dict[str, Content]) -> None:
    (root / GOOD_NAME).write_text(GOOD, encoding="utf-8")
    for name, content in files.items():
        if callable(content):
            content(root)
        else:
            (root / name).write_bytes(content)


def _run(root: Path, out: Path, args: tuple[str, ...] = ()) -> tuple[int, str]:
    res = cli.invoke(app, ["run", str(root), "-o", str(out), *args])
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    return res.exit_code, res.output


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def check_output(out: Path) -> list[str]:
    """The doc_ids of documents.jsonl; asserts every record is valid and belongs to one."""
    counts, problems = validate_output(out)
    assert problems == []
    ids = [str(d["doc_id"]) for d in _lines(out / "documents.jsonl")]
    assert len(ids) == len(set(ids)), f"duplicate doc_ids in documents.jsonl: {ids}"
    return ids


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, marks=[pytest.mark.xfail(reason=c.xfail, strict=True)] if c.xfail else [])
        for c in CASES
    ],
    ids=[c.name for c in CASES],
)
def test_bad_input_case(case: Case, tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    _write(root, case.files)
    out = tmp_path / "out"
    code, output = _run(root, out, case.args)
    errors = _lines(out / "errors.jsonl")
    got = [(e["path"], e["stage"], e["error"]) for e in errors]
    want = [(e.path, e.stage, e.error) for e in case.errors]
    assert sorted(got) == sorted(want), output
    for e in case.errors:
        line = next(x for x in errors if x["path"] == e.path)
        assert e.message.lower() in str(line["message"]).lower(), line
        assert set(line) == {"schema_version", "path", "stage", "error", "message"}
    assert code == (1 if case.errors else 0), output
    ids = check_output(out)
    assert sorted(ids) == sorted(["good", *case.documents])
    texts = {str(d["doc_id"]): str(d["text"]) for d in _lines(out / "documents.jsonl")}
    for doc_id, part in case.contains.items():
        assert part in texts[doc_id]
    # The good article went through every stage.
    assert any(q["doc_id"] == "good" for q in _lines(out / "quotes.jsonl"))
    # Nothing half-written is left behind.
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


# -- an unreadable file -------------------------------------------------------------------------


def _unreadable_result(root: Path, out: Path) -> list[dict[str, object]]:
    code, output = _run(root, out)
    assert code == 1, output
    assert sorted(check_output(out)) == ["good"]
    return _lines(out / "errors.jsonl")


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root: chmod 000 does not stop root from reading "
    "(test_unreadable_file_simulated covers it)",
)
def test_unreadable_file_chmod(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    _write(root, {"locked.txt": article("The Lock").encode("utf-8")})
    (root / "locked.txt").chmod(0)
    try:
        errors = _unreadable_result(root, tmp_path / "out")
    finally:
        (root / "locked.txt").chmod(0o644)
    assert [(e["path"], e["stage"]) for e in errors] == [("locked.txt", "strip")]
    assert "permission denied" in str(errors[0]["message"]).lower()


def test_unreadable_file_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "in"
    root.mkdir()
    _write(root, {"locked.txt": article("The Lock").encode("utf-8")})
    real_read_bytes = Path.read_bytes
    real_open = Path.open

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    def path_open(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(Path, "open", path_open)
    errors = _unreadable_result(root, tmp_path / "out")
    assert [(e["path"], e["stage"]) for e in errors] == [("locked.txt", "strip")]
    assert "permission denied" in str(errors[0]["message"]).lower()


# -- duplicates stay right on incremental re-runs ------------------------------------------------


def test_duplicate_doc_id_on_incremental_runs(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    _write(root, {"a.txt": article("The Text Twin").encode("utf-8")})
    out = tmp_path / "out"
    assert _run(root, out)[0] == 0
    # A twin arrives before a.txt in walk order: a.html now owns "a", a.txt is the duplicate.
    (root / "a.html").write_text(html_page(LONG_PARAS), encoding="utf-8")
    assert _run(root, out)[0] == 1
    assert sorted(check_output(out)) == ["a", "good"]
    assert [(e["path"], e["error"]) for e in _lines(out / "errors.jsonl")] == [
        ("a.txt", "DuplicateDocId")
    ]
    full = tmp_path / "full"
    _run(root, full, ("--full",))
    for name in ("documents", "sentences", "attributions", "quotes", "errors"):
        assert (out / f"{name}.jsonl").read_bytes() == (full / f"{name}.jsonl").read_bytes(), name
    # The twin goes away: a.txt is read again, not reused with its stale error.
    (root / "a.html").unlink()
    assert _run(root, out)[0] == 0
    assert _lines(out / "errors.jsonl") == []
    texts = {str(d["doc_id"]): str(d["text"]) for d in _lines(out / "documents.jsonl")}
    assert "The Text Twin" in texts["a"]


# -- very long texts ---------------------------------------------------------------------------


def _long_line(chars: int) -> str:
    sentence = "“The harbour will be finished on time,” said Ana Ruiz, the port director. "
    return (sentence * (chars // len(sentence) + 1))[:chars].rstrip()


def test_long_single_line_is_parsed_in_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A small chunk size makes a 30,000-character line take the path of a 5 MB one.
    from pipeline import nlp as nlp_mod

    monkeypatch.setattr(nlp_mod, "CHUNK_CHARS", 2_000)
    root = tmp_path / "in"
    root.mkdir()
    _write(root, {"oneline.txt": _long_line(30_000).encode("utf-8")})
    out = tmp_path / "out"
    code, output = _run(root, out)
    assert code == 0, output
    assert sorted(check_output(out)) == ["good", "oneline"]
    quotes = [q for q in _lines(out / "quotes.jsonl") if q["doc_id"] == "oneline"]
    assert len(quotes) > 100


@pytest.mark.slow
@pytest.mark.parametrize(
    "name, text",
    [
        ("oneline-5mb.txt", lambda: _long_line(5_000_000)),
        ("big-50mb.txt", lambda: (GOOD + "\n") * (50 * 1024 * 1024 // (len(GOOD) + 1) + 1)),
    ],
)
def test_huge_inputs_are_processed(tmp_path: Path, name: str, text: Callable[[], str]) -> None:
    root = tmp_path / "in"
    root.mkdir()
    _write(root, {name: text().encode("utf-8")})
    out = tmp_path / "out"
    result = runner_mod.run(root, out)
    assert not result.errors, result.errors
    assert sorted(check_output(out)) == sorted(["good", name.removesuffix(".txt")])


# -- a stage over hand-edited JSONL -------------------------------------------------------------


@pytest.fixture(scope="module")
def three_articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """good.txt and two more articles run through every stage once."""
    root = tmp_path_factory.mktemp("in")
    _write(root, {"b.txt": article("The Bee").encode(), "c.txt": article("The Sea").encode()})
    out = tmp_path_factory.mktemp("run") / "out"
    assert _run(root, out)[0] == 0
    return out


def _edit(path: Path, lineno: int, edit: Callable[[dict[str, object]], object]) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    rec = json.loads(lines[lineno - 1])
    new = edit(rec)
    lines[lineno - 1] = new if isinstance(new, str) else json.dumps(rec, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _set(key: str, value: object) -> Callable[[dict[str, object]], object]:
    def edit(rec: dict[str, object]) -> object:
        rec[key] = value
        return None

    return edit


def _first_line_of(path: Path, doc_id: str) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if json.loads(line)["doc_id"] == doc_id:
            return i
    raise AssertionError(doc_id)


@pytest.mark.parametrize(
    "stage, upstream, edit, field_msg",
    [
        ("segment", "documents", lambda r: "{broken", "not valid JSON"),
        ("segment", "documents", _set("text", 7), "text: Input should be a valid string"),
        ("segment", "documents", _set("paragraphs", "none"), "paragraphs: Input should be"),
        ("attribute", "sentences", _set("end", 10_000), "sentence: text has"),
        ("attribute", "sentences", _set("index", "one"), "index: Input should be"),
        ("attribute", "documents", _set("doc_id", ""), "doc_id"),
        ("tag", "attributions", _set("kind", "sarcastic"), "kind: Input should be"),
        ("tag", "attributions", lambda r: r.pop("speaker"), "speaker: Field required"),
        ("tag", "attributions", lambda r: "not json at all", "not valid JSON"),
    ],
)
def test_stage_over_hand_edited_jsonl(
    three_articles: Path,
    tmp_path: Path,
    stage: str,
    upstream: str,
    edit: Callable[[dict[str, object]], object],
    field_msg: str,
) -> None:
    out = tmp_path / "out"
    shutil.copytree(three_articles, out)
    path = out / f"{upstream}.jsonl"
    lineno = _first_line_of(path, "b")
    _edit(path, lineno, edit)
    result = runner_mod.run_stage(stage, out, out)
    messages = [e.message for e in result.errors]
    assert len(result.errors) == 1, messages
    assert f"{path}:{lineno}:" in messages[0] and field_msg in messages[0], messages
    name = {"segment": "sentences", "attribute": "attributions", "tag": "quotes"}[stage]
    done = {str(r["doc_id"]) for r in _lines(out / f"{name}.jsonl")}
    # The other articles went on; the edited one has no records in this stage.
    assert {"good", "c"} <= done and "b" not in done
    assert _lines(out / "errors.jsonl")[0]["message"] == messages[0]


def test_bad_document_before_one_without_upstream_records(
    three_articles: Path, tmp_path: Path
) -> None:
    # b's document line is broken (no doc_id to read) and c has no attributions: tag must
    # drop b's attributions with it, and give c none of good's.
    out = tmp_path / "out"
    shutil.copytree(three_articles, out)
    atts = out / "attributions.jsonl"
    kept = [
        x for x in atts.read_text(encoding="utf-8").splitlines() if json.loads(x)["doc_id"] != "c"
    ]
    atts.write_text("\n".join(kept) + "\n", encoding="utf-8")
    _edit(out / "documents.jsonl", 1, lambda r: "{" + json.dumps(r)[30:])
    before = [q for q in _lines(out / "quotes.jsonl") if q["doc_id"] == "good"]
    result = runner_mod.run_stage("tag", out, out)
    assert [e.message.split(": ", 1)[0] for e in result.errors] == [f"{out / 'documents.jsonl'}:1"]
    assert _lines(out / "quotes.jsonl") == before


def test_a_crash_inside_strip_is_one_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A bug of ours on one input (here simulated) is recorded with its type, and the run goes on.
    from pipeline.stages import strip

    real = strip.read_input

    def read_input(path: Path, input_dir: Path) -> list[object]:
        if path.name == "boom.txt":
            raise KeyError("simulated bug")
        return real(path, input_dir)  # type: ignore[return-value]

    monkeypatch.setattr(strip, "read_input", read_input)
    root = tmp_path / "in"
    root.mkdir()
    _write(root, {"boom.txt": article("The Bug").encode()})
    out = tmp_path / "out"
    code, output = _run(root, out)
    assert code == 1, output
    errors = _lines(out / "errors.jsonl")
    assert [(e["path"], e["stage"], e["error"]) for e in errors] == [
        ("boom.txt", "strip", "KeyError")
    ]
    assert "simulated bug" in str(errors[0]["message"])
    assert check_output(out) == ["good"]
