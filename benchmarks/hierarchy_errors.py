#!/usr/bin/env python3
"""Where a trained policy departs from the expert on held-out tasks, step by step.

Run from the repository root::

    python3 benchmarks/hierarchy_errors.py RUN LEVEL EPISODES     # e.g. a hierarchical or a ppo run, 5, 100

The run's policy plays the first EPISODES ood tasks of LEVEL greedily. In every state the any-state expert's next
action is asked for: where it belongs to a specialist (an edit), the line counts whether the meta-controller chose
that specialist (``meta_right``; always counted for a flat policy) and, when it did, whether the action taken was
the expert's (``spec_right``); where it is a shared move (cursor, selection), whether the action taken was that
move (``shared_right``; another route may be as good). One JSON line per run; ``solved`` counts solved tasks.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import numpy as np
import torch

from sheetrl.agents.hierarchical import action_groups
from sheetrl.env.planner import expert_action
from sheetrl.env.spreadsheet_env import EnvConfig, SpreadsheetEnv
from sheetrl.env.tasks import split_seed
from sheetrl.train.checkpoint import load_latest
from sheetrl.train.runner import restore_agent

if len(sys.argv) != 4:
    raise SystemExit("usage: python3 benchmarks/hierarchy_errors.py RUN LEVEL EPISODES")
torch.set_num_threads(1)
run, level, episodes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
payload, _ = load_latest(run)
agent = restore_agent(payload)
_own, _ = action_groups()
OWNER = np.where(_own.any(0), _own.argmax(0), -1)
env = SpreadsheetEnv(config=EnvConfig(level=level, split="ood"))
c = dict(edit_states=0, meta_right=0, spec_right=0, shared_states=0, shared_right=0, solved=0, stuck=0)
for ep in range(episodes):
    obs, _ = env.reset(seed=ep, options={"task_seed": split_seed("ood", ep), "level": level})
    for _ in range(200):
        a_star = expert_action(env)
        flat = torch.as_tensor(obs["flat"][None], dtype=torch.float32)
        legal = torch.as_tensor(obs["action_mask"][None].astype(bool))
        hier = hasattr(agent, "choose")
        if hier:
            chosen, _, _ = agent.choose(flat, legal, None, deterministic=True)
        action = int(agent.act({k: v[None] for k, v in obs.items()}, obs["action_mask"][None], deterministic=True)[0])
        if a_star is None:
            c["stuck"] += 1
        else:
            owner = int(OWNER[a_star])
            if owner >= 0:
                c["edit_states"] += 1
                if not hier or int(chosen[0]) == owner:
                    c["meta_right"] += 1
                    c["spec_right"] += int(action == a_star)
            else:
                c["shared_states"] += 1
                c["shared_right"] += int(action == a_star)
        obs, _, term, trunc, info = env.step(action)
        if term or trunc:
            c["solved"] += int(bool(info.get("is_success", False)))
            break
print(json.dumps({"run": run, **c}))
