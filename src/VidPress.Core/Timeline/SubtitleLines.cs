using System.Text;
using VidPress.Core.Articles;

namespace VidPress.Core.Timeline;

/// <summary>
/// Breaks a subtitle's text into lines no longer than its script's line length: Latin text at spaces only, never inside
/// a word; CJK text between any two characters, except before closing punctuation (，。！？、」』）》” …) and after opening
/// punctuation (「『（《“ …), the kinsoku rules of Chinese and Japanese typesetting; a Latin word inside CJK text stays
/// whole. Lines come out as few as the length allows and, among those, as even as they can be. Widths are counted in
/// columns, a full-width character two: a line holding any is held to <c>2 × cjkCharacters</c> columns, other lines to
/// <c>latinCharacters</c>. Both the timeline's cues (burned in) and the sidecar SRT/WebVTT files are broken here.
/// </summary>
public static class SubtitleLines
{
    public const int DefaultLatinCharacters = 42;
    public const int DefaultCjkCharacters = 16;

    /// <summary>The lines of <paramref name="text"/>; whitespace (line breaks included) is only a place to break.</summary>
    public static List<string> Break(string text, int latinCharacters = DefaultLatinCharacters, int cjkCharacters = DefaultCjkCharacters)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latinCharacters, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cjkCharacters, 1);
        var units = Units(text);
        if (units.Count == 0) return [];
        var limit = units.Any(u => u.Wide) ? 2 * cjkCharacters : latinCharacters;
        var pieces = Pieces(units, limit);
        var lines = Fill(pieces, limit);
        if (lines.Count < 2) return lines;
        // The narrowest width that still needs no more lines: the longest line as short as it can be.
        var from = Math.Max(pieces.Max(p => p.Columns), pieces.Sum(p => p.Columns) / lines.Count);
        for (var width = from; width < limit; width++)
            if (Fill(pieces, width) is { } even && even.Count == lines.Count) return even;
        return lines;
    }

    /// <summary>How wide <paramref name="line"/> is: two columns for each full-width character, one for any other.</summary>
    public static int Columns(string line) => line.EnumerateRunes().Sum(r => Classify(r).Wide ? 2 : 1);

    /// <summary>One character (a code point: a surrogate pair is one) and what it is to line breaking.</summary>
    private readonly record struct Unit(string Text, bool Space, bool Wide, bool Closing, bool Opening);

    /// <summary>A run of text no line may break inside, and whether a space separates it from the piece before.</summary>
    private readonly record struct Piece(string Text, int Columns, bool SpaceBefore);

    private static Unit Classify(Rune rune)
    {
        if (!rune.IsBmp) return new Unit(rune.ToString(), false, Wide: true, false, false); // supplementary ideographs, emoji
        var c = (char)rune.Value;
        return new Unit(c.ToString(), char.IsWhiteSpace(c), CjkText.IsFullWidth(c), CjkText.IsClosingPunctuation(c), CjkText.IsOpeningPunctuation(c));
    }

    private static List<Unit> Units(string text) => text.EnumerateRunes().Select(Classify).ToList();

    private static List<Piece> Pieces(List<Unit> units, int limit)
    {
        var pieces = new List<Piece>();
        var current = new StringBuilder();
        var columns = 0;
        var spaceBefore = false;
        var pendingSpace = false;
        Unit? last = null;
        foreach (var unit in units)
        {
            if (unit.Space) { pendingSpace = last is not null; continue; }
            if (last is { } before)
            {
                // Whitespace between two full-width characters is no space in CJK text (a line break of the source).
                var keepSpace = pendingSpace && !(before.Wide && unit.Wide);
                var mayBreak = !unit.Closing && !before.Opening && (pendingSpace || before.Wide || unit.Wide)
                    && !(before.Text == unit.Text && unit.Text is "—" or "…" or "⋯");
                if (mayBreak)
                {
                    Add(current.ToString(), columns, spaceBefore);
                    current.Clear();
                    columns = 0;
                    spaceBefore = keepSpace;
                }
                else if (keepSpace)
                {
                    current.Append(' ');
                    columns++;
                }
            }
            current.Append(unit.Text);
            columns += unit.Wide ? 2 : 1;
            last = unit;
            pendingSpace = false;
        }
        if (current.Length > 0) Add(current.ToString(), columns, spaceBefore);
        return pieces;

        // A piece wider than a whole line (a long address, a run of closing marks) is cut where the line is full.
        void Add(string text, int width, bool space)
        {
            if (width <= limit) { pieces.Add(new Piece(text, width, space)); return; }
            var part = new StringBuilder();
            var used = 0;
            foreach (var rune in text.EnumerateRunes())
            {
                var w = Classify(rune).Wide ? 2 : 1;
                if (used + w > limit && part.Length > 0)
                {
                    pieces.Add(new Piece(part.ToString(), used, space));
                    part.Clear();
                    used = 0;
                    space = false;
                }
                part.Append(rune.ToString());
                used += w;
            }
            if (part.Length > 0) pieces.Add(new Piece(part.ToString(), used, space));
        }
    }

    private static List<string> Fill(List<Piece> pieces, int width)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        var used = 0;
        foreach (var piece in pieces)
        {
            var space = line.Length > 0 && piece.SpaceBefore ? 1 : 0;
            if (line.Length > 0 && used + space + piece.Columns > width)
            {
                lines.Add(line.ToString());
                line.Clear();
                used = space = 0;
            }
            if (space == 1) line.Append(' ');
            line.Append(piece.Text);
            used += space + piece.Columns;
        }
        if (line.Length > 0) lines.Add(line.ToString());
        return lines;
    }
}
