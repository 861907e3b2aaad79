#!/usr/bin/env python3
"""Does the meta-controller call the specialist a person would? A table of its choices per step type.

Run from the repository root::

    python3 benchmarks/hierarchical.py --run runs/2__hierarchical__1__... --level 2 --episodes 50

The expert's plan of each held-out task is played step by step; before every step whose action belongs to a
specialist (the step type: a formula, a format, a value), the trained meta-controller is asked which specialist it
would call in that state (its most probable choice). Steps made of shared moves (cursor, selection, ``done``)
have no owner and are counted apart. The table gives, per step type, how often each specialist was chosen. For an
agent with a navigator, a second table says how often the navigator's most probable event was *edit now* before
the expert's edits and before its shared moves (a person edits at the first and moves at the second).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def choices(run: Path, level: int, split: str, episodes: int
            ) -> tuple[dict[str, Counter[str]], int, Counter[str] | None]:
    """{step type: Counter(specialist chosen)}, the number of shared-move steps, and for a navigator
    Counter('edit step, edited', 'edit step, moved', 'move step, edited', 'move step, moved') (else None)."""
    import torch

    from sheetrl.agents.hierarchical import SPECIALIST_NAMES, SPECIALISTS
    from sheetrl.env.actions import MACRO_INDEX
    from sheetrl.env.spreadsheet_env import EnvConfig, SpreadsheetEnv
    from sheetrl.env.tasks import split_seed
    from sheetrl.train.checkpoint import load_latest
    from sheetrl.train.runner import restore_agent

    torch.set_num_threads(1)
    payload, _ = load_latest(run)
    agent = restore_agent(payload)
    if agent.name != "hierarchical":
        raise SystemExit(f"{run} holds a {agent.name} agent, not a hierarchical one")
    owner = {macro: specialist for specialist, macros in SPECIALISTS.items() for macro in macros}
    table: dict[str, Counter[str]] = {specialist: Counter() for specialist in SPECIALIST_NAMES}
    shared = 0
    navigated: Counter[str] | None = Counter() if agent.config.navigator else None
    env = SpreadsheetEnv(config=EnvConfig(level=level, split=split))
    for episode in range(episodes):
        observation, _ = env.reset(seed=episode, options={"task_seed": split_seed(split, episode), "level": level})
        assert env.task is not None
        for name in env.task.expert_actions:
            step_type = owner.get(name)
            flat = torch.as_tensor(observation["flat"][None], dtype=torch.float32)
            masks = torch.as_tensor(observation["action_mask"][None].astype(bool))
            if step_type is None:
                shared += 1
            else:
                chosen, _, _ = agent.choose(flat, masks, None, deterministic=True)
                table[step_type][SPECIALIST_NAMES[int(chosen[0])]] += 1
            if navigated is not None:
                with torch.no_grad():
                    edits = int(agent.navigator_choice(flat, masks).mode()[0]) == masks.shape[1]
                navigated[f"{'move' if step_type is None else 'edit'} step, {'edited' if edits else 'moved'}"] += 1
            observation, _, terminated, _, _ = env.step(MACRO_INDEX[name])
            if terminated:
                break
    return table, shared, navigated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--run", type=Path, required=True, help="a hierarchical run folder")
    parser.add_argument("--level", type=int, default=5)
    parser.add_argument("--split", default="ood", choices=("iid", "ood"))
    parser.add_argument("--episodes", type=int, default=50)
    args = parser.parse_args()
    if args.episodes < 1:
        raise SystemExit("--episodes must be at least 1")
    from sheetrl.agents.hierarchical import SPECIALIST_NAMES

    table, shared, navigated = choices(args.run, args.level, args.split, args.episodes)
    print(f"| step type (L{args.level} {args.split}, {args.episodes} expert plans) | steps | "
          + " | ".join(f"chose {s}" for s in SPECIALIST_NAMES) + " |")
    print("|---|---:|" + "---:|" * len(SPECIALIST_NAMES))
    for step_type, counts in table.items():
        total = sum(counts.values())
        cells = " | ".join(f"{counts[s] / total:.2f}" if total else "–" for s in SPECIALIST_NAMES)
        print(f"| {step_type} | {total} | {cells} |")
    print(f"| shared moves (no owner) | {shared} |" + " |" * len(SPECIALIST_NAMES))
    if navigated is not None:
        print()
        print("| the expert's next step | steps | the navigator edits now | the navigator moves |")
        print("|---|---:|---:|---:|")
        for kind in ("edit", "move"):
            edited, moved = navigated[f"{kind} step, edited"], navigated[f"{kind} step, moved"]
            total = edited + moved
            print(f"| {'an edit' if kind == 'edit' else 'a shared move'} | {total} | "
                  f"{edited / max(1, total):.2f} | {moved / max(1, total):.2f} |")


if __name__ == "__main__":
    main()
