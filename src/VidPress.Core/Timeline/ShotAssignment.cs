namespace VidPress.Core.Timeline;

/// <summary>One shot a clip slot could take: the shot and its asset as small integers, and the pair's score.</summary>
public readonly record struct SlotOption(int Shot, int Asset, double Score);

/// <summary>The chosen option index per slot (-1 for a title card), the total score, and whether it is proven optimal.</summary>
public sealed record AssignmentResult(IReadOnlyList<int> Choices, double Total, bool Optimal, int NodesExplored);

/// <summary>
/// Picks one option or a title card per slot, maximising the total score, with every shot used at most
/// once and no two neighbouring slots showing the same asset (a title card separates them).
/// <para>
/// Exact by branch and bound. Dropping the neighbour rule leaves an assignment problem (slots to shots,
/// plus one title-card column per slot so it is always feasible), solved exactly by the Hungarian method;
/// its optimum bounds every timeline that obeys the rule. When the relaxed optimum puts asset a in slots s
/// and s+1, every valid timeline either keeps a out of s or keeps a out of s+1, so branching on those two
/// loses nothing; a branch whose bound cannot beat the best valid timeline found is dropped.
/// The assignment is made square with one "unused" row per shot (cost 0 anywhere), so that no column is
/// ever left free with a non-zero potential. A child then reuses its parent's duals: forbidding entries
/// only raises costs, so they stay feasible, and one augmenting path for the changed slot, ending at the
/// one column it freed, restores optimality.
/// </para>
/// </summary>
public static class ShotAssignment
{
    private const double Forbidden = 1e9;
    private const double Epsilon = 1e-9;

    public static AssignmentResult Solve(IReadOnlyList<IReadOnlyList<SlotOption>> slots, double titleCardScore, int maxNodes = 20_000)
    {
        var n = slots.Count;
        if (n == 0) return new AssignmentResult([], 0, true, 0);
        var problem = new Problem(slots, titleCardScore);
        var root = new State(problem.Columns, problem.Columns);
        for (var row = 1; row <= n; row++) problem.Augment(root, row, Forbids.Empty);
        problem.SeatUnusedRows(root);

        var search = new Search(problem, maxNodes);
        search.Incumbent = problem.Repair(root);
        search.IncumbentValue = problem.Value(search.Incumbent);
        search.Explore(root, Forbids.Empty);

        var choices = search.Incumbent.Select((column, slot) => problem.OptionIndex(slot, column)).ToArray();
        return new AssignmentResult(choices, search.IncumbentValue, !search.OutOfBudget, search.Nodes);
    }

    /// <summary>Forbidden (slot, asset) pairs along the current branch; short, so a linked list will do.</summary>
    private sealed record Forbids(int Slot, int Asset, Forbids? Next)
    {
        public static readonly Forbids? Empty = null;
    }

    private sealed class State
    {
        public readonly double[] U, V;
        public readonly int[] P;
        public double Cost;

        public State(int rows, int columns) { U = new double[rows + 1]; V = new double[columns + 1]; P = new int[columns + 1]; }
        private State(State other) { U = (double[])other.U.Clone(); V = (double[])other.V.Clone(); P = (int[])other.P.Clone(); }
        public State Clone() => new(this);
    }

    private sealed class Problem
    {
        public readonly int Rows, Columns, ShotColumns;
        private readonly double[,] _cost;
        private readonly int[] _columnAsset;
        private readonly int[,] _option;
        private readonly double[] _minv;
        private readonly int[] _way;
        private readonly bool[] _used;

        public Problem(IReadOnlyList<IReadOnlyList<SlotOption>> slots, double titleCardScore)
        {
            Rows = slots.Count;
            var shotColumn = new Dictionary<int, int>();
            var assets = new List<int>();
            foreach (var option in slots.SelectMany(s => s))
                if (shotColumn.TryAdd(option.Shot, shotColumn.Count)) assets.Add(option.Asset);
            ShotColumns = shotColumn.Count;
            Columns = ShotColumns + Rows;
            _cost = new double[Rows + 1, Columns + 1];
            _option = new int[Rows + 1, Columns + 1];
            _columnAsset = new int[Columns + 1];
            for (var j = 1; j <= Columns; j++) _columnAsset[j] = j <= ShotColumns ? assets[j - 1] : int.MinValue;
            for (var i = 1; i <= Rows; i++)
            {
                for (var j = 1; j <= Columns; j++)
                {
                    _cost[i, j] = j <= ShotColumns ? Forbidden : -titleCardScore;
                    _option[i, j] = -1;
                }
                var options = slots[i - 1];
                for (var k = 0; k < options.Count; k++)
                {
                    var j = shotColumn[options[k].Shot] + 1;
                    if (_option[i, j] < 0 || -options[k].Score < _cost[i, j]) { _cost[i, j] = -options[k].Score; _option[i, j] = k; }
                }
            }
            _minv = new double[Columns + 1];
            _way = new int[Columns + 1];
            _used = new bool[Columns + 1];
        }

        public bool IsCard(int column) => column > ShotColumns;
        public int AssetOf(int column) => _columnAsset[column];
        public int OptionIndex(int slot, int column) => IsCard(column) ? -1 : _option[slot + 1, column];

        private double Cost(int row, int column, Forbids? forbids)
        {
            if (row > Rows) return 0;
            var c = _cost[row, column];
            if (c >= Forbidden || IsCard(column)) return c;
            for (var f = forbids; f is not null; f = f.Next)
                if (f.Slot == row - 1 && f.Asset == _columnAsset[column]) return Forbidden;
            return c;
        }

        /// <summary>One Hungarian step (e-maxx formulation): finds a shortest augmenting path for <paramref name="row"/>.</summary>
        public void Augment(State s, int row, Forbids? forbids)
        {
            var m = Columns;
            s.P[0] = row;
            var j0 = 0;
            Array.Fill(_minv, double.PositiveInfinity);
            Array.Clear(_used);
            do
            {
                _used[j0] = true;
                int i0 = s.P[j0], j1 = 0;
                var delta = double.PositiveInfinity;
                for (var j = 1; j <= m; j++)
                {
                    if (_used[j]) continue;
                    var cur = Cost(i0, j, forbids) - s.U[i0] - s.V[j];
                    if (cur < _minv[j]) { _minv[j] = cur; _way[j] = j0; }
                    if (_minv[j] < delta) { delta = _minv[j]; j1 = j; }
                }
                for (var j = 0; j <= m; j++)
                {
                    if (_used[j]) { s.U[s.P[j]] += delta; s.V[j] -= delta; }
                    else _minv[j] -= delta;
                }
                j0 = j1;
            } while (s.P[j0] != 0);
            do
            {
                var j1 = _way[j0];
                s.P[j0] = s.P[j1];
                j0 = j1;
            } while (j0 != 0);
            s.P[0] = 0;
            s.Cost = 0;
            for (var j = 1; j <= m; j++)
                if (s.P[j] is > 0 and var r && r <= Rows) s.Cost += Cost(r, j, forbids);
        }

        /// <summary>
        /// Gives each "unused" row a free column without a search. Columns the real rows never reached
        /// still have potential 0 and every other potential is ≤ 0, so with u = 0 these rows' reduced
        /// costs are ≥ 0 everywhere and 0 where they sit: the square solution is optimal as it stands.
        /// </summary>
        public void SeatUnusedRows(State s)
        {
            var row = Rows + 1;
            for (var j = 1; j <= Columns; j++)
            {
                if (s.P[j] != 0) continue;
                s.P[j] = row;
                s.U[row++] = 0;
            }
        }

        public void Unassign(State s, int row)
        {
            for (var j = 1; j <= Columns; j++)
                if (s.P[j] == row) { s.P[j] = 0; return; }
        }

        public int[] ColumnsByRow(State s)
        {
            var byRow = new int[Rows];
            for (var j = 1; j <= Columns; j++)
                if (s.P[j] is > 0 and var r && r <= Rows) byRow[r - 1] = j;
            return byRow;
        }

        /// <summary>A valid timeline near the relaxed one: the weaker of each clashing pair becomes a title card.</summary>
        public int[] Repair(State s)
        {
            var byRow = ColumnsByRow(s);
            var spareCard = ShotColumns + 1;
            var usedCards = new HashSet<int>(byRow.Where(IsCard));
            for (var r = 0; r + 1 < Rows; r++)
            {
                if (!Clash(byRow[r], byRow[r + 1])) continue;
                var weaker = _cost[r + 1, byRow[r]] > _cost[r + 2, byRow[r + 1]] ? r : r + 1;
                while (usedCards.Contains(spareCard)) spareCard++;
                usedCards.Add(spareCard);
                byRow[weaker] = spareCard;
            }
            return byRow;
        }

        public bool Clash(int a, int b) => !IsCard(a) && !IsCard(b) && _columnAsset[a] == _columnAsset[b];

        public double Value(int[] byRow)
        {
            var total = 0.0;
            for (var r = 0; r < Rows; r++) total -= _cost[r + 1, byRow[r]];
            return total;
        }

    }

    private sealed class Search(Problem problem, int maxNodes)
    {
        public int[] Incumbent = [];
        public double IncumbentValue = double.NegativeInfinity;
        public int Nodes;
        public bool OutOfBudget;

        public void Explore(State state, Forbids? forbids)
        {
            Nodes++;
            var bound = -state.Cost;
            if (bound <= IncumbentValue + Epsilon) return;
            var byRow = problem.ColumnsByRow(state);
            var clash = -1;
            for (var r = 0; r + 1 < problem.Rows && clash < 0; r++)
                if (problem.Clash(byRow[r], byRow[r + 1])) clash = r;
            if (clash < 0)
            {
                Incumbent = byRow;
                IncumbentValue = bound;
                return;
            }
            var repaired = problem.Repair(state);
            var repairedValue = problem.Value(repaired);
            if (repairedValue > IncumbentValue + Epsilon) { Incumbent = repaired; IncumbentValue = repairedValue; }
            if (Nodes >= maxNodes) { OutOfBudget = true; return; }

            var asset = problem.AssetOf(byRow[clash]);
            var children = new List<(State State, Forbids Forbids)>(2);
            foreach (var slot in new[] { clash, clash + 1 })
            {
                var childForbids = new Forbids(slot, asset, forbids);
                var child = state.Clone();
                problem.Unassign(child, slot + 1);
                problem.Augment(child, slot + 1, childForbids);
                children.Add((child, childForbids));
            }
            // The more promising branch first, so the incumbent improves early and prunes more.
            foreach (var (child, childForbids) in children.OrderBy(c => c.State.Cost))
            {
                if (OutOfBudget) return;
                Explore(child, childForbids);
            }
        }
    }
}
