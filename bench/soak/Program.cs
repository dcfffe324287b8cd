using System.Globalization;
using System.Runtime.InteropServices;
using VidPress.Soak;

// The fault soak: the API and three worker processes on one database and one storage root, videos posted through
// the API while workers are killed (kill -9 of their process groups) and PostgreSQL restarts once; at the end every
// video must have succeeded exactly once, with one MP4 and one logical webhook, and nothing may be left behind.
// bench/soak/run.sh starts the cluster, builds and runs this; see docs/benchmarks.md ("Fault soak").
//   dotnet bench/soak/bin/Release/net10.0/VidPress.Soak.dll --state DIR --pg-port N --pg-data DIR [--seed N] ...
SoakOptions options;
try { options = SoakOptions.Parse(args); }
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(SoakOptions.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
// SIGTERM (run.sh's timeout) or Ctrl-C: the soak stops what it started and reports, instead of dying with children left.
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
return await new Soak(options).RunAsync(stop.Token);

public sealed record SoakOptions
{
    public const string Usage = """
        usage: VidPress.Soak --state DIR --pg-port N --pg-data DIR [--seed N] [--videos 60] [--workers 3] [--worker-slots 2]
               [--min-kills 10] [--kill-gap 4-14] [--post-gap 1.5-4.5] [--refuse-rate 0.1] [--pg-restart-mode immediate|fast]
               [--deadline-minutes 45] [--invisibility-seconds 20] [--root REPO]
        """;

    public required string Root { get; init; }
    public required string State { get; init; }
    public required int PgPort { get; init; }
    public required string PgData { get; init; }
    public int Seed { get; init; }
    public int Videos { get; init; } = 60;
    public int Workers { get; init; } = 3;
    public int WorkerSlots { get; init; } = 2;
    public int MinKills { get; init; } = 10;
    public (double Min, double Max) KillGapSeconds { get; init; } = (4, 14);
    public (double Min, double Max) RestartDelaySeconds { get; init; } = (1, 4);
    public (double Min, double Max) PostGapSeconds { get; init; } = (1.5, 4.5);
    public (int Min, int Max) TargetSeconds { get; init; } = (5, 10);
    public double RefuseRate { get; init; } = 0.1;
    public string PgRestartMode { get; init; } = "immediate";
    public double PgOutageSeconds { get; init; } = 3;
    public double DeadlineMinutes { get; init; } = 45;
    public int InvisibilitySeconds { get; init; } = 20;

    public string StorageRoot => Path.Combine(State, "media");
    public string Logs => Path.Combine(State, "logs");
    public string ConnectionString => $"Host=127.0.0.1;Port={PgPort};Database=vidpress;Username=postgres";

    public static SoakOptions Parse(string[] args)
    {
        var given = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length) throw new ArgumentException($"unexpected argument '{args[i]}'");
            given[args[i][2..]] = args[++i];
        }
        string Take(string name, string? fallback = null)
        {
            if (given.Remove(name, out var value)) return value;
            return fallback ?? throw new ArgumentException($"--{name} is required");
        }
        static double Number(string name, string text) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0
                ? n : throw new ArgumentException($"--{name}: not a number: {text}");
        (double, double) Range(string name, (double Min, double Max) fallback)
        {
            if (!given.Remove(name, out var text)) return fallback;
            var parts = text.Split('-');
            var range = parts.Length == 2 ? (Number(name, parts[0]), Number(name, parts[1])) : throw new ArgumentException($"--{name}: MIN-MAX, e.g. 4-14");
            return range.Item1 <= range.Item2 ? range : throw new ArgumentException($"--{name}: MIN above MAX");
        }
        var options = new SoakOptions
        {
            Root = Path.GetFullPath(Take("root", FindRoot())),
            State = Path.GetFullPath(Take("state")),
            PgPort = (int)Number("pg-port", Take("pg-port")),
            PgData = Path.GetFullPath(Take("pg-data")),
            Seed = (int)Number("seed", Take("seed", Random.Shared.Next(1, 1_000_000).ToString(CultureInfo.InvariantCulture))),
            Videos = (int)Number("videos", Take("videos", "60")),
            Workers = (int)Number("workers", Take("workers", "3")),
            WorkerSlots = (int)Number("worker-slots", Take("worker-slots", "2")),
            MinKills = (int)Number("min-kills", Take("min-kills", "10")),
            KillGapSeconds = Range("kill-gap", (4, 14)),
            PostGapSeconds = Range("post-gap", (1.5, 4.5)),
            RefuseRate = Number("refuse-rate", Take("refuse-rate", "0.1")),
            PgRestartMode = Take("pg-restart-mode", "immediate") is var mode && mode is "immediate" or "fast"
                ? mode : throw new ArgumentException("--pg-restart-mode: immediate or fast"),
            DeadlineMinutes = Number("deadline-minutes", Take("deadline-minutes", "45")),
            InvisibilitySeconds = (int)Number("invisibility-seconds", Take("invisibility-seconds", "20")),
        };
        if (given.Count > 0) throw new ArgumentException($"unknown option --{given.Keys.First()}");
        if (options.Videos < 1 || options.Workers < 1 || options.WorkerSlots < 1)
            throw new ArgumentException("--videos, --workers and --worker-slots must be at least 1");
        return options;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "VidPressService.sln"))) return dir.FullName;
        throw new ArgumentException("--root: the repository (VidPressService.sln) was not found above the soak's binary");
    }
}
