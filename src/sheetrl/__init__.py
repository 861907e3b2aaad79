"""sheetrl: reinforcement-learning agents that operate spreadsheets.

Layers (each knows only the ones below it): ``sheet`` (the spreadsheet engine), ``env`` (the Gymnasium
environment), ``models``/``agents``/``train`` (learning), ``cli`` (the command line).
"""

__version__ = "0.1.0"
