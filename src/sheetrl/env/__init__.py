"""The spreadsheet environment: tasks, actions, observations, rewards and the Gymnasium env.

Registered ids: ``sheetrl/SingleCellEdit-v1`` (level 1), ``sheetrl/SimpleFormula-v1`` (2),
``sheetrl/MultiCellFormula-v1`` (3), ``sheetrl/PivotTable-v1`` (4), ``sheetrl/ComplexModel-v1`` (5) and
``sheetrl/Curriculum-v1``. Tasks from task files: :func:`sheetrl.env.tasks.files.load_task_file`.
"""

from __future__ import annotations

import gymnasium as gym

ENV_IDS = {
    1: "sheetrl/SingleCellEdit-v1",
    2: "sheetrl/SimpleFormula-v1",
    3: "sheetrl/MultiCellFormula-v1",
    4: "sheetrl/PivotTable-v1",
    5: "sheetrl/ComplexModel-v1",
    "curriculum": "sheetrl/Curriculum-v1",
}


def register_envs() -> None:
    """Register the environments with Gymnasium (idempotent)."""
    for level, env_id in ENV_IDS.items():
        if env_id not in gym.registry:
            gym.register(id=env_id, entry_point="sheetrl.env.spreadsheet_env:SpreadsheetEnv", kwargs={"level": level})


register_envs()


def make_env(level: int | str = 1, **kwargs):
    """``gymnasium.make`` for a level (1-5 or "curriculum")."""
    if level not in ENV_IDS:
        raise ValueError(f"level must be one of {list(ENV_IDS)}, not {level!r}")
    return gym.make(ENV_IDS[level], **kwargs)


__all__ = ["ENV_IDS", "make_env", "register_envs"]
