"""The real-workbook corpus measurement behind ``benchmarks/xlsx_corpus.py``.

Modules, in the order a run uses them:

- :mod:`.files`   the manifest (repository, commit, path, sha256 per workbook) and the local cache of the files;
- :mod:`.cells`   the formula cells and the values cached in a workbook's sheet XML, and the poisoned copy;
- :mod:`.compare` the rules that decide whether an engine's value agrees with a cached value;
- :mod:`.engines` sheetrl, ironcalc and formualizer behind one interface, run in worker subprocesses;
- :mod:`.causes`  why sheetrl disagrees with a cell (missing function, parse error, precedent differs ...);
- :mod:`.report`  the totals, the per-source and per-cause tables, BENCHMARKS.md.
"""
