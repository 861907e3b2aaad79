"""How often the any-state expert (``sheetrl.env.planner``) solves v1 tasks: from their start, and after random
detours.

For every level and split it draws tasks and runs three kinds of episode, each on a fresh task:

- ``start``: the planner from the task's start;
- ``detour-nav``: the planner for a random number of steps (0 to its plan's length), then 1-8 random legal
  actions that change no cell (moves, jumps, selections, "next target"), then the planner to the end;
- ``detour-any``: the same with random legal actions of any kind except ``done`` (edits too: values typed
  in the wrong place, formats, fills, pivots).

The planner's steps count against the task's own step budget, extended by the detour's length (the detour is
not the planner's). A ``detour-any`` episode whose damage no macro can undo (a data cell overwritten, a format
changed on a protected cell: the action language has no undo) is reported as *unrecoverable*; the planner then
takes the command that restores the cell where the command language has one (``value``, ``formula``, ``unbold``),
and ``solved (commands)`` counts those episodes too.

    python3 benchmarks/expert_planner.py                 # 40 tasks per level, split and kind
    python3 benchmarks/expert_planner.py --tasks 200 --levels 3 5
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sheetrl.env.actions import MACROS
from sheetrl.env.planner import expert_action, expert_command, expert_plan
from sheetrl.env.spreadsheet_env import SpreadsheetEnv
from sheetrl.env.tasks import LEVELS, make_task, split_seed

NON_EDITING = frozenset(("move_up", "move_down", "move_left", "move_right", "jump_up", "jump_down", "jump_left",
                         "jump_right", "next_target", "anchor_selection", "clear_selection", "select_reference_1",
                         "select_reference_2", "select_reference_3"))
KINDS = ("start", "detour-nav", "detour-any")


def run_episode(env: SpreadsheetEnv, level: int, seed: int, kind: str, rng: random.Random) -> dict[str, object]:
    """One episode; returns whether it was solved, by macros alone, and whether a command was needed."""
    task = make_task(level, seed)
    detour = rng.randint(1, 8) if kind != "start" else 0
    task.max_steps += detour
    env.reset(options={"task": task})
    lead = rng.randint(0, len(expert_plan(task)) * 3) if kind != "start" else 0
    terminated = False
    info: dict[str, object] = {}
    steps = 0
    for _ in range(lead):  # the planner for a while ...
        action = expert_action(env)
        if action is None or MACROS[action].name == "done":
            break
        _, _, terminated, _, info = env.step(action)
        steps += 1
        if terminated:
            break
    if not terminated:  # ... then a random detour ...
        for _ in range(detour):
            mask = env.action_masks()
            legal = [a for a in range(len(mask)) if mask[a] and MACROS[a].name != "done" and
                     (kind == "detour-any" or MACROS[a].name in NON_EDITING)]
            if not legal:
                break
            _, _, terminated, _, info = env.step(rng.choice(legal))
            steps += 1
            if terminated:
                break
    used_command = False
    unrecoverable = False
    while not terminated:  # ... then the planner to the end
        action = expert_action(env)
        if action is None:
            unrecoverable = True
            command = expert_command(env)
            if command is None:
                break
            used_command = True
            _, _, terminated, _, info = env.step_command(command)
        else:
            _, _, terminated, _, info = env.step(action)
        steps += 1
    solved = bool(info.get("is_success"))
    return {"solved": solved, "by_macros": solved and not used_command, "unrecoverable": unrecoverable,
            "check": info.get("check"), "steps": steps, "seed": seed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=40, help="tasks per level, split and kind")
    parser.add_argument("--levels", type=int, nargs="+", default=list(LEVELS))
    parser.add_argument("--splits", nargs="+", default=["train", "iid", "ood"])
    parser.add_argument("--seed", type=int, default=0, help="seed of the detours")
    parser.add_argument("--json", type=Path, help="write the rows as JSON lines here")
    parser.add_argument("--failures", action="store_true", help="print every failed episode")
    args = parser.parse_args()
    env = SpreadsheetEnv(level=1)
    rows = []
    print(f"{'level':>5} {'kind':<11} {'episodes':>8} {'solved':>8} {'unrecov.':>8} {'solved(cmd)':>11} "
          f"{'rate(recov.)':>12} {'s/episode':>9}")
    for level in args.levels:
        for kind in KINDS:
            rng = random.Random(args.seed * 7919 + level * 31 + KINDS.index(kind))
            results = []
            started = time.perf_counter()
            for split in args.splits:
                for index in range(args.tasks):
                    result = run_episode(env, level, split_seed(split, index), kind, rng)
                    result["split"] = split
                    results.append(result)
                    if args.failures and not result["solved"]:
                        print("  failed:", json.dumps(result))
            seconds = (time.perf_counter() - started) / len(results)
            episodes = len(results)
            by_macros = sum(bool(r["by_macros"]) for r in results)
            unrecoverable = sum(bool(r["unrecoverable"]) for r in results)
            solved = sum(bool(r["solved"]) for r in results)
            recoverable = episodes - unrecoverable
            rate = by_macros / recoverable if recoverable else float("nan")
            row = {"level": level, "kind": kind, "episodes": episodes, "solved_by_macros": by_macros,
                   "unrecoverable": unrecoverable, "solved_with_commands": solved,
                   "rate_recoverable": rate, "seconds_per_episode": seconds}
            rows.append(row)
            print(f"{level:>5} {kind:<11} {episodes:>8} {by_macros:>8} {unrecoverable:>8} {solved:>11} "
                  f"{rate:>12.3f} {seconds:>9.3f}", flush=True)
    if args.json is not None:
        with args.json.open("a", encoding="utf-8") as stream:
            for row in rows:
                stream.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
