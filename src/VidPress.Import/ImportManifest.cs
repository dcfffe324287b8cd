using System.Text;
using System.Text.Json;

namespace VidPress.Import;

/// <summary>One file to import and what the newsroom knows about it.</summary>
public sealed record ImportItem(string File, string? Title, string? Description, string? Tags, string? Licence, string? Credit, string? Expiry);

/// <summary>
/// Reads metadata.json (an array of items) or metadata.csv (header row: file,title,description,tags,licence,credit,expiry)
/// from the folder; without either, every media file in the folder is imported under its file name.
/// </summary>
public static class ImportManifest
{
    private static readonly HashSet<string> MediaExtensions = new(StringComparer.OrdinalIgnoreCase)
        { ".mp4", ".mov", ".m4v", ".mkv", ".webm", ".avi", ".mts", ".ts", ".mxf", ".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff" };

    public static IReadOnlyList<ImportItem> Read(string folder)
    {
        var json = Path.Combine(folder, "metadata.json");
        var csv = Path.Combine(folder, "metadata.csv");
        if (File.Exists(json))
            return JsonSerializer.Deserialize<List<ImportItem>>(File.ReadAllText(json), new JsonSerializerOptions(JsonSerializerDefaults.Web)) ?? [];
        if (File.Exists(csv))
        {
            // Strict: a file in another encoding (Excel's plain "CSV" on a Chinese Windows is GB18030) would otherwise
            // turn every title into replacement characters, stored for good (a re-run finds the files already there).
            try { return FromCsv(File.ReadAllText(csv, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true))); }
            catch (DecoderFallbackException)
            {
                throw new FormatException("metadata.csv is not UTF-8 text; save it as UTF-8 (in Excel: \"CSV UTF-8\"). Nothing was imported.");
            }
        }
        return Directory.EnumerateFiles(folder).Where(f => MediaExtensions.Contains(Path.GetExtension(f))).Order()
            .Select(f => new ImportItem(Path.GetFileName(f), null, null, null, null, null, null)).ToList();
    }

    internal static IReadOnlyList<ImportItem> FromCsv(string text)
    {
        var rows = ParseCsv(text);
        if (rows.Count == 0) return [];
        var header = rows[0].Select(h => h.Trim().ToLowerInvariant()).ToList();
        if (!header.Contains("file")) throw new FormatException("metadata.csv needs a 'file' column.");
        string? Cell(List<string> row, string name)
        {
            var i = header.IndexOf(name);
            return i >= 0 && i < row.Count && row[i].Trim().Length > 0 ? row[i].Trim() : null;
        }
        return rows.Skip(1).Where(r => Cell(r, "file") is not null)
            .Select(r => new ImportItem(Cell(r, "file")!, Cell(r, "title"), Cell(r, "description"), Cell(r, "tags"), Cell(r, "licence"), Cell(r, "credit"), Cell(r, "expiry")))
            .ToList();
    }

    /// <summary>RFC 4180: quoted fields may hold commas, newlines and doubled quotes.</summary>
    internal static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                row.Add(field.ToString()); field.Clear();
                if (row.Count > 1 || row[0].Length > 0) rows.Add(row);
                row = [];
            }
            else if (c != '\uFEFF' || field.Length > 0 || row.Count > 0 || rows.Count > 0) field.Append(c);
        }
        row.Add(field.ToString());
        if (row.Count > 1 || row[0].Length > 0) rows.Add(row);
        return rows;
    }
}
