"""Which formulas read a cell through a range: an index over the ranges the dependency graph does not expand.

Small ranges are expanded into one dependency edge per cell (``Workbook._dependents``). Expanding every range
would cost quadratic memory and time in common layouts: a running total ``=SUM(A$1:A2)``, ``=SUM(A$1:A3)`` ...
down 8,000 rows is 32 million edges, and 1,000 lookups into one 800-cell table are 800,000. This index keeps each
distinct range once, with the formulas that read it, and answers "who reads cell (row, col)?" without visiting
every range:

- **Families.** Ranges with the same sheet, columns and first row (a running total's ``A$1:Ak``) are one
  *top-anchored* family, ordered by last row; ranges left alone there that share their last row
  (``Ak:A$100``, what remains) are a *bottom-anchored* family, ordered by first row. Each member is nested in the
  next one, so a cell inside member ``i`` is inside every later member.
- **Chains of virtual nodes.** Each member is a node of the graph with a negative key (never a cell's): its
  successors are the formulas that read that range and the next, larger, member. A cell's successors are only
  the smallest member of each family that contains it, so the running total has one edge per row instead of one
  per row and formula; what reaches a formula through the chain is exactly what contains the cell.
- **Blocks.** Families are found through the blocks of rows and columns their extent covers, so a cell's query
  looks at the families near it, not at every family of the sheet. Extents too large for blocks (whole columns,
  whole rows) are checked one by one, as they are few.

The index is built from scratch when the set of distinct ranges changes and never modified, so clones can share
it. A formula that starts or stops reading ranges already in it (the fifth lookup into a table) gives a new index
that shares everything but those ranges' lists of readers (:meth:`RangeReaders.with_reader`,
:meth:`RangeReaders.without_reader`): equal to the one a rebuild would give, at the cost of those lists.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping

Range = tuple[int, int, int, int, int]  # (sheet id, row1, col1, row2, col2), 0-based, inclusive

# Keys of virtual nodes: far below every cell key (cells are >= 0), every sheet's extent key (-1 - sheet id), the
# workbook's key (-2**61) and the workbook's virtual recalculation source (-2**62).
VIRTUAL_NODE_BASE = -(1 << 60)
_ROW_BLOCK_SHIFT = 8  # blocks of 256 rows ...
_COL_BLOCK_SHIFT = 4  # ... by 16 columns
_MAX_BLOCKS_PER_FAMILY = 256  # a family whose extent covers more blocks is checked on every query of its sheet


def is_virtual_node(key: int) -> bool:
    """Whether a graph key is one of this index's virtual nodes (a range), not a cell."""
    return VIRTUAL_NODE_BASE >= key > 2 * VIRTUAL_NODE_BASE


class _Family:
    """Nested ranges of one sheet and columns: ``ends`` sorted ascending, member ``i`` contained in member ``i+1``.

    Top-anchored: ``ends`` are the members' last rows and the probe of a row is the row itself. Bottom-anchored:
    ``ends`` are the negated first rows and the probe is the negated row. Either way the smallest member holding
    the row is the first whose end is at least the probe.
    """

    __slots__ = ("bottom", "col1", "col2", "ends", "first_node", "row1", "row2", "sid")

    def __init__(self, members: list[Range], bottom: bool, first_node: int) -> None:
        self.sid, row1, col1, row2, col2 = members[0]
        self.col1, self.col2, self.bottom, self.first_node = col1, col2, bottom, first_node
        if bottom:
            self.ends = [-m[1] for m in members]
            self.row1, self.row2 = -self.ends[-1], row2
        else:
            self.ends = [m[3] for m in members]
            self.row1, self.row2 = row1, self.ends[-1]

    def node_for(self, row: int, col: int) -> int | None:
        """The virtual node of the smallest member containing (row, col), or None."""
        if not (self.col1 <= col <= self.col2 and self.row1 <= row <= self.row2):
            return None
        position = bisect_left(self.ends, -row if self.bottom else row)
        return VIRTUAL_NODE_BASE - (self.first_node + position)

    def first_overlapping(self, row1: int, col1: int, row2: int, col2: int) -> int | None:
        """The position of the smallest member overlapping the rectangle (every later member overlaps it too),
        or None."""
        if col2 < self.col1 or self.col2 < col1 or row2 < self.row1 or self.row2 < row1:
            return None
        return bisect_left(self.ends, -row2 if self.bottom else row1)


class RangeReaders:
    """The formulas reading each unexpanded range, indexed by position (see the module's docstring)."""

    __slots__ = ("_blocks", "_by_sheet", "_node_of", "_node_successors", "_readers", "_wide")

    def __init__(self, ranges_by_formula: Mapping[int, Iterable[Range]]) -> None:
        readers: dict[Range, list[int]] = {}
        for formula_key, ranges in ranges_by_formula.items():
            for area in dict.fromkeys(ranges):
                readers.setdefault(area, []).append(formula_key)
        self._node_successors: list[list[int]] = []
        self._readers: list[list[int]] = []  # by node: the formulas reading its range
        self._node_of: dict[Range, int] = {}  # range -> its node's position in the lists above
        self._blocks: dict[tuple[int, int, int], list[_Family]] = {}
        self._wide: dict[int, list[_Family]] = {}
        self._by_sheet: dict[int, list[_Family]] = {}
        for members, bottom in _families(readers):
            first = len(self._node_successors)
            for position, area in enumerate(members):
                successors = list(readers[area])
                self._node_of[area] = len(self._readers)
                self._readers.append(readers[area])
                if position + 1 < len(members):
                    successors.append(VIRTUAL_NODE_BASE - (first + position + 1))
                self._node_successors.append(successors)
            family = _Family(members, bottom, first)
            self._place(family)
            self._by_sheet.setdefault(family.sid, []).append(family)

    def with_reader(self, formula_key: int, ranges: Iterable[Range]) -> RangeReaders | None:
        """This index with ``formula_key`` (a formula new to it, added after every formula it holds) reading
        ``ranges`` too, or None when one of them is not in the index yet (rebuild it then)."""
        return self._with_readers(formula_key, ranges, adding=True)

    def without_reader(self, formula_key: int, ranges: Iterable[Range]) -> RangeReaders | None:
        """This index without ``formula_key`` among the readers of ``ranges``, or None when a range would be left
        with no reader (rebuild it then)."""
        return self._with_readers(formula_key, ranges, adding=False)

    def _with_readers(self, formula_key: int, ranges: Iterable[Range], adding: bool) -> RangeReaders | None:
        nodes = [self._node_of.get(area) for area in dict.fromkeys(ranges)]
        if None in nodes:
            return None
        readers, successors = list(self._readers), list(self._node_successors)
        for node in nodes:
            assert node is not None
            old = readers[node]
            if adding:
                new = [*old, formula_key]
            elif len(old) <= 1 or formula_key not in old:  # the range's last reader (or, never, not a reader)
                return None
            else:
                at = old.index(formula_key)
                new = old[:at] + old[at + 1 :]
            readers[node] = new
            successors[node] = new + successors[node][len(old):]  # the next member's node stays last
        index = RangeReaders.__new__(RangeReaders)
        index._blocks, index._by_sheet, index._wide, index._node_of = (
            self._blocks, self._by_sheet, self._wide, self._node_of
        )
        index._readers, index._node_successors = readers, successors
        return index

    def _place(self, family: _Family) -> None:
        sid = family.sid
        row_blocks = range(family.row1 >> _ROW_BLOCK_SHIFT, (family.row2 >> _ROW_BLOCK_SHIFT) + 1)
        col_blocks = range(family.col1 >> _COL_BLOCK_SHIFT, (family.col2 >> _COL_BLOCK_SHIFT) + 1)
        if len(row_blocks) * len(col_blocks) > _MAX_BLOCKS_PER_FAMILY:
            self._wide.setdefault(sid, []).append(family)
            return
        for row_block in row_blocks:
            for col_block in col_blocks:
                self._blocks.setdefault((sid, row_block, col_block), []).append(family)

    def nodes_containing(self, sid: int, row: int, col: int) -> list[int]:
        """The virtual nodes a change of cell (row, col) of sheet ``sid`` reaches first: one per family holding
        it (its smallest member there); the larger members follow through the chain."""
        found = []
        for family in self._blocks.get((sid, row >> _ROW_BLOCK_SHIFT, col >> _COL_BLOCK_SHIFT), ()):
            node = family.node_for(row, col)
            if node is not None:
                found.append(node)
        for family in self._wide.get(sid, ()):
            node = family.node_for(row, col)
            if node is not None:
                found.append(node)
        return found

    def node_successors(self, node: int) -> list[int]:
        """The successors of a virtual node: the formulas reading its range, then the next member's node."""
        return self._node_successors[VIRTUAL_NODE_BASE - node]

    def readers_overlapping(self, sid: int, row1: int, col1: int, row2: int, col2: int) -> set[int]:
        """The formulas reading any cell of a rectangle of sheet ``sid`` through an indexed range."""
        row_blocks = range(row1 >> _ROW_BLOCK_SHIFT, (row2 >> _ROW_BLOCK_SHIFT) + 1)
        col_blocks = range(col1 >> _COL_BLOCK_SHIFT, (col2 >> _COL_BLOCK_SHIFT) + 1)
        if len(row_blocks) * len(col_blocks) > _MAX_BLOCKS_PER_FAMILY:
            families: Iterable[_Family] = self._by_sheet.get(sid, ())
        else:
            near = {
                id(family): family
                for row_block in row_blocks
                for col_block in col_blocks
                for family in self._blocks.get((sid, row_block, col_block), ())
            }
            families = [*near.values(), *self._wide.get(sid, ())]
        found: set[int] = set()
        for family in families:
            position = family.first_overlapping(row1, col1, row2, col2)
            if position is not None:
                for node in range(family.first_node + position, family.first_node + len(family.ends)):
                    found.update(self._readers[node])
        return found

    def readers_containing(self, sid: int, row: int, col: int) -> set[int]:
        """The formulas reading cell (row, col) of sheet ``sid`` through an indexed range."""
        return self.readers_reached(self.nodes_containing(sid, row, col))

    def readers_reached(self, nodes: Iterable[int]) -> set[int]:
        """The formulas reached from virtual nodes, each node's chain followed to its end."""
        readers: set[int] = set()
        pending = list(nodes)
        seen: set[int] = set()
        while pending:
            node = pending.pop()
            if node in seen:
                continue
            seen.add(node)
            for successor in self.node_successors(node):
                if is_virtual_node(successor):
                    pending.append(successor)
                else:
                    readers.add(successor)
        return readers


def _families(readers: Mapping[Range, list[int]]) -> Iterable[tuple[list[Range], bool]]:
    """Group the distinct ranges into nested families: by first row (top-anchored), then the ones left alone by
    last row (bottom-anchored); a range alone in both is a family of one."""
    by_top: dict[tuple[int, int, int, int], list[Range]] = {}
    for area in readers:
        sid, row1, col1, _, col2 = area
        by_top.setdefault((sid, row1, col1, col2), []).append(area)
    alone: list[Range] = []
    for members in by_top.values():
        if len(members) > 1:
            yield sorted(members, key=lambda m: m[3]), False
        else:
            alone.append(members[0])
    by_bottom: dict[tuple[int, int, int, int], list[Range]] = {}
    for area in alone:
        sid, _, col1, row2, col2 = area
        by_bottom.setdefault((sid, row2, col1, col2), []).append(area)
    for members in by_bottom.values():
        yield sorted(members, key=lambda m: -m[1]), True
