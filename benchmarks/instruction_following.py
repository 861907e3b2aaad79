"""Whether a trained agent's formula follows the instruction's words: held-out L2 tasks with their computation edited.

L2's ood split holds out (template, function) pairs (a row minimum, a column maximum, ...). An agent can solve those
by reading the computation from the instruction, or by a shortcut the held-out pairs happen to allow. This benchmark
takes L2 ood tasks with only the combination held out (:func:`ood_attribution.tasks_holding_out`), rewrites each
aggregate task's phrase (*the smallest value of*) as every phrase of every aggregate (*the total of*, *the mean
of*, ...) and each arithmetic task's operator (*times*) as every operator (*plus*, *minus*, *divided by*), plays
the run's latest checkpoint deterministically on every edited task, and counts how often the computation of the
macro it writes (``min_left``: min; ``above_ratio``: ratio) is the one the edited words ask for. It also replaces
the aggregate phrase by the bare word *value* and shows which aggregate the agent then writes (its prior).

    python3 benchmarks/instruction_following.py RUN [RUN ...] --tasks 80

Prints one row per run: the unedited tasks solved, and the share of edited tasks followed, per computation.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ood_attribution import tasks_holding_out

from sheetrl.env.spreadsheet_env import SpreadsheetEnv
from sheetrl.env.tasks.base import Task
from sheetrl.env.tasks.simple_formula import AGGREGATE_PHRASES
from sheetrl.env.tasks.simple_formula import AGGREGATES as FUNCTIONS

AGGREGATES = {function: function.lower() for function in FUNCTIONS}  # SUM -> sum (macro word)
OPERATORS = {"times": "product", "divided by": "ratio", "minus": "difference", "plus": "sum"}
_PHRASE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in sorted(
    (p for phrases in AGGREGATE_PHRASES.values() for p in phrases), key=len, reverse=True)) + r")\b")
_OPERATOR = re.compile(r"\b(?:" + "|".join(re.escape(o) for o in OPERATORS) + r")\b")


def play(agent: Any, task: Task, max_steps: int = 15) -> tuple[list[str], bool]:
    """The macros ``agent`` takes on ``task`` (deterministically) and whether it solved it."""
    env = SpreadsheetEnv(level=2)
    obs, _ = env.reset(seed=0, options={"task": task})
    taken: list[str] = []
    solved = False
    for _ in range(max_steps):
        batch = {key: np.asarray(value)[None] for key, value in obs.items()}
        action = int(np.asarray(agent.act(batch, batch["action_mask"].astype(bool), deterministic=True))[0])
        taken.append(env.action_name(action))
        obs, _, terminated, truncated, info = env.step(action)
        solved = bool(info.get("is_success", False))
        if terminated or truncated:
            break
    return taken, solved


def aggregate_of(taken: list[str]) -> str | None:
    """The aggregate of the first aggregate macro taken (``min_left``: ``min``), or None."""
    for name in taken:
        head = name.split("_")[0]
        if head in AGGREGATES.values():
            return head
    return None


def operator_of(taken: list[str]) -> str | None:
    """The computation of the first two-cell arithmetic macro taken (``above_ratio``: ``ratio``), or None."""
    for name in taken:
        first, _, rest = name.partition("_")
        if first in ("left", "above") and rest.split("_")[0] in OPERATORS.values():
            return rest.split("_")[0]
    return None


def with_text(task: Task, start: int, stop: int, text: str) -> Task:
    """``task`` with ``instruction[start:stop]`` replaced by ``text``."""
    return dataclasses.replace(task, instruction=task.instruction[:start] + text + task.instruction[stop:])


def measure(agent: Any, tasks: list[Task]) -> dict[str, Any]:
    """Unedited successes; per asked computation (an aggregate's macro word, an operator's word) the edited tasks
    played and those whose macro computes it; and the aggregates written when the phrase is replaced by *value*."""
    solved = 0
    followed: Counter[str] = Counter()
    played: Counter[str] = Counter()
    bare: Counter[str] = Counter()
    for task in tasks:
        solved += play(agent, task)[1]
        phrase, operator = _PHRASE.search(task.instruction), _OPERATOR.search(task.instruction)
        if task.template != "cell_arithmetic" and phrase is not None:
            for function, word in AGGREGATES.items():
                for text in AGGREGATE_PHRASES[function]:
                    played[word] += 1
                    followed[word] += aggregate_of(play(agent, with_text(task, *phrase.span(), text))[0]) == word
            bare[str(aggregate_of(play(agent, with_text(task, *phrase.span(), "value"))[0]))] += 1
        elif task.template == "cell_arithmetic" and operator is not None:
            for text, computation in OPERATORS.items():  # counted by the operator's word: plus is not the aggregate
                played[text] += 1
                followed[text] += operator_of(play(agent, with_text(task, *operator.span(), text))[0]) == computation
    return {"tasks": len(tasks), "solved": solved, "followed": followed, "played": played, "bare": bare}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", help="run folders of level-2 agents (their latest checkpoint is played)")
    parser.add_argument("--tasks", type=int, default=80, help="ood tasks (seeds of the ood range) to edit")
    args = parser.parse_args(argv)
    if args.tasks < 1:
        parser.error("--tasks must be at least 1")
    missing = [run for run in args.runs if not Path(run, "checkpoint.pt").exists()]
    if missing:
        parser.error(f"no checkpoint.pt in {', '.join(missing)}")
    from sheetrl.train.checkpoint import load_latest
    from sheetrl.train.runner import restore_agent

    tasks = tasks_holding_out(2, ["combination"], args.tasks)
    computations = [*AGGREGATES.values(), *OPERATORS]  # aggregates by macro word, arithmetic by operator word
    print("| run | unedited solved | " + " | ".join(computations) + " | all | aggregate with no phrase |")
    print("|---|---:|" + "---:|" * (len(computations) + 1) + "---|")
    for run in args.runs:
        agent = restore_agent(load_latest(run)[0])
        result = measure(agent, tasks)
        followed, played = result["followed"], result["played"]
        cells = [f"{followed[c]}/{played[c]}" for c in computations]
        bare = ", ".join(f"{name} {n}" for name, n in result["bare"].most_common())
        print(f"| {run} | {result['solved']}/{result['tasks']} | " + " | ".join(cells)
              + f" | {sum(followed.values())}/{sum(played.values())} | {bare} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
