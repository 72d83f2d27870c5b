"""`communique eval GOLD.jsonl`: code a gold file, score it, and check the accuracy gate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from communique.cli import app
from communique.errors import CommuniqueError, InputError
from communique.evaluate import EvalReport, evaluate_file
from communique.gate import (
    GateError,
    check_gate,
    entry_key,
    read_floors,
    update_entry,
    write_floors,
)

DEFAULT_FLOORS = "eval/floors.json"

AllowLowerOption = Annotated[
    str | None,
    typer.Option("--allow-lower", help="With --update-floors: loosen limits, for REASON."),
]
FloorsOption = Annotated[Path, typer.Option("--floors", help="The floors file of the gate.")]
ModelOption = Annotated[str | None, typer.Option("--model", help="spaCy pipeline to use.")]


@app.command("eval")
def eval_command(
    gold: Annotated[Path, typer.Argument(help="Gold file in the eval/FORMAT.md layout.")],
    errors: Annotated[
        bool, typer.Option("--errors", help="List each missed and each false event.")
    ] = False,
    report_path: Annotated[
        Path | None, typer.Option("--report", help="Write the report as JSON to this file.")
    ] = None,
    gate: Annotated[
        bool, typer.Option("--gate", help="Fail (exit 1) when a figure breaks its limit.")
    ] = False,
    update_floors: Annotated[
        bool,
        typer.Option("--update-floors", help="Raise the floors (lower the ceilings) to now."),
    ] = False,
    allow_lower: AllowLowerOption = None,
    floors_path: FloorsOption = Path(DEFAULT_FLOORS),
    model: ModelOption = None,
    typing: Annotated[
        str | None,
        typer.Option("--typing", help="Who types events: combined (default), rules or model."),
    ] = None,
    config_path: Annotated[
        Path | None, typer.Option("--config", help="Settings file (TOML).")
    ] = None,
) -> None:
    """Code the documents of a gold file and report precision, recall and F1 against it."""
    err = Console(stderr=True)
    try:
        if allow_lower is not None and not update_floors:
            raise InputError("--allow-lower only goes with --update-floors")
        from communique.config import load_config
        from communique.pipeline import Coder

        config = load_config(config_path).with_overrides(model=model, typing=typing)
        report = evaluate_file(gold, Coder(config))
        print_report(report, Console(), errors=errors)
        if report_path is not None:
            text = json.dumps(report.to_dict(errors=errors), indent=2, ensure_ascii=False)
            report_path.write_text(text + "\n", encoding="utf-8")
        failures: list[str] = []
        if update_floors or gate:
            floors = read_floors(floors_path)
            key = entry_key(floors, floors_path, gold)
            if update_floors:
                floors[key], changes = update_entry(
                    floors.get(key), report, allow_lower=allow_lower
                )
                write_floors(floors_path, floors)
                for line in changes or ["no change"]:
                    err.print(f"{floors_path} [{key}]: {line}", markup=False, highlight=False)
            if gate:
                entry = floors.get(key)
                if entry is None:
                    failures.append(
                        f"{key} has no entry in {floors_path}: "
                        f"run communique eval {gold} --update-floors"
                    )
                else:
                    failures.extend(check_gate(report, entry))
    except (GateError, CommuniqueError) as exc:
        raise _exit_for(exc, err) from None
    _exit_on_failures(failures, err)


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def print_report(report: EvalReport, console: Console, *, errors: bool = False) -> None:
    data = report.to_dict(errors=errors)
    docs = data["documents"]
    console.print(
        f"[bold]{data['gold']}[/bold]: {docs['total']} documents ({docs['complete']} complete), "
        f"{docs['required_gold_events']} required + {docs['optional_gold_events']} optional "
        f"gold events, {docs['predicted_events']} predicted "
        f"({_fmt(data['events_per_document'])} per document)"
    )
    for problem, items in (
        ("not coded", docs["skipped"]),
        ("not in the gold", docs["unknown_ids"]),
    ):
        if items:
            console.print(f"[yellow]{len(items)} documents {problem}[/yellow]: {items[:5]}")

    scores = Table(title="Matches")
    for name in ("", "precision", "recall", "F1", "tp", "fp", "fn"):
        scores.add_column(name, justify="left" if not name else "right")
    for level in ("type", "dyad"):
        row = data[level]
        scores.add_row(
            level, *(_fmt(row[k]) for k in ("precision", "recall", "f1", "tp", "fp", "fn"))
        )
    console.print(scores)
    no_event = data["no_event"]
    console.print(
        f"type macro-F1 {_fmt(data['type_macro_f1'])}; no event: precision "
        f"{_fmt(no_event['precision'])}, recall {_fmt(no_event['recall'])} "
        f"(complete documents only)"
    )

    agreement = Table(title="Agreement among matched events")
    for name in ("field", "share", "agree", "scored"):
        agreement.add_column(name, justify="left" if name == "field" else "right")
    for name, row in data["agreement"].items():
        agreement.add_row(name, _fmt(row["share"]), str(row["agree"]), str(row["scored"]))
    console.print(agreement)

    confusion: dict[str, dict[str, int]] = data["confusion"]
    if confusion:
        columns = sorted({p for row in confusion.values() for p in row})
        table = Table(title="Confusion (gold rows, predicted columns; - = none)")
        table.add_column("gold")
        for name in columns:
            table.add_column(name, justify="right")
        for gold, row in confusion.items():
            table.add_row(gold, *(str(row.get(c, "")) for c in columns))
        console.print(table)

    if errors:
        for item in data["errors"]:
            console.print(f"[bold]{item['kind']}[/bold] {item['doc_id']}", highlight=False)
            console.print(f"  text: {item['text']}", markup=False, highlight=False)
            for key in ("gold", "gold_note", "predicted"):
                if item[key]:
                    console.print(f"  {key}: {item[key]}", markup=False, highlight=False)


@app.command("eval-actors")
def eval_actors_command(
    gold: Annotated[
        Path, typer.Argument(help="Labelled actor mentions (eval/actors.jsonl layout).")
    ] = Path("eval/actors.jsonl"),
    errors: Annotated[bool, typer.Option("--errors", help="List each wrong case.")] = False,
    report_path: Annotated[
        Path | None, typer.Option("--report", help="Write the report as JSON to this file.")
    ] = None,
    gate: Annotated[
        bool, typer.Option("--gate", help="Fail (exit 1) when a figure breaks its floor.")
    ] = False,
    update_floors: Annotated[
        bool, typer.Option("--update-floors", help="Raise the floors to the current figures.")
    ] = False,
    allow_lower: AllowLowerOption = None,
    floors_path: FloorsOption = Path(DEFAULT_FLOORS),
    model: ModelOption = None,
) -> None:
    """Resolve labelled actor mentions and report code and sector accuracy."""
    err = Console(stderr=True)
    try:
        if allow_lower is not None and not update_floors:
            raise InputError("--allow-lower only goes with --update-floors")
        from communique.actors import ActorResolver, resolve_actor_text
        from communique.actors.scoring import ActorCase, score_actor_cases
        from communique.config import load_config
        from communique.nlp import load_pipeline

        nlp = load_pipeline(load_config(None).with_overrides(model=model).model)
        resolver = ActorResolver(nlp)

        def resolve(case: ActorCase) -> Any:
            return resolve_actor_text(case.mention, resolver, nlp, case.context, case.day)

        report = score_actor_cases(gold, resolve)
        data = report.to_dict(errors=errors)
        _print_actor_report(data, Console())
        if report_path is not None:
            report_path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        failures = _gate_actors(data, gold, floors_path, gate, update_floors, allow_lower, err)
    except (GateError, CommuniqueError) as exc:
        raise _exit_for(exc, err) from None
    _exit_on_failures(failures, err)


def _gate_actors(
    data: dict[str, Any],
    gold: Path,
    floors_path: Path,
    gate: bool,
    update_floors: bool,
    allow_lower: str | None,
    err: Console,
) -> list[str]:
    if not (gate or update_floors):
        return []
    floors = read_floors(floors_path)
    key = entry_key(floors, floors_path, gold)
    if update_floors:
        entry = floors.get(key) or {
            "kind": "actors",  # scored by eval-actors, not by eval
            "floors": dict.fromkeys(("code.accuracy", "sector.accuracy", "both.accuracy")),
        }
        floors[key], changes = update_entry(entry, data, allow_lower=allow_lower)
        write_floors(floors_path, floors)
        for line in changes or ["no change"]:
            err.print(f"{floors_path} [{key}]: {line}", markup=False, highlight=False)
    if key not in floors:
        return [f"{key} has no entry in {floors_path}: run eval-actors --update-floors"]
    return check_gate(data, floors[key]) if gate else []


def _print_actor_report(data: dict[str, Any], console: Console) -> None:
    console.print(f"[bold]{data['gold']}[/bold]: {data['cases']} actor mentions")
    table = Table(title="Actor resolution")
    for name in ("", "accuracy", "right", "scored"):
        table.add_column(name, justify="left" if not name else "right")
    for name in ("code", "sector", "both"):
        row = data[name]
        table.add_row(name, _fmt(row["accuracy"]), str(row["right"]), str(row["scored"]))
    for name, row in data["by_class"].items():
        table.add_row(f"both: {name}", _fmt(row["accuracy"]), str(row["right"]), str(row["scored"]))
    console.print(table)
    for item in data.get("errors", []):
        console.print(
            f"{item['id']}: {item['mention']!r} gold {item['gold_code']}/{item['gold_sector']}"
            f" got {item['code']}/{item['sector']} ({item['identifier_text']})",
            markup=False, highlight=False,
        )  # fmt: skip


def _exit_for(exc: CommuniqueError, err: Console) -> typer.Exit:
    """A gate refusal exits 1 (the figures broke a limit); any other error exits 2."""
    if isinstance(exc, GateError):
        err.print(f"gate: {exc}", markup=False, highlight=False)
        return typer.Exit(1)
    err.print(f"error: {exc}", markup=False, highlight=False)
    return typer.Exit(2)


def _exit_on_failures(failures: list[str], err: Console) -> None:
    for failure in failures:
        err.print(f"gate: {failure}", markup=False, highlight=False)
    if failures:
        raise typer.Exit(1)
