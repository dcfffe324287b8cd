using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace VidPress.Soak;

/// <summary>
/// A child the soak started (the API or a worker), in a process group of its own (started through setsid), so a
/// kill -9 of the group takes the process and every ffmpeg and espeak-ng it started at once, as when a container
/// or machine dies. Its output goes to a log file of its own, one per start, so a killed worker's log is kept.
/// </summary>
public sealed class Child
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private Child(string name, Process process, StreamWriter log, string logPath)
    {
        Name = name;
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    public string Name { get; }
    public string LogPath { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    public static Child Start(string name, string dll, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        IEnumerable<string> arguments, string logPath)
    {
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        // setsid execs in place (a child of this process is no group leader), so the pid is dotnet's and its group's.
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Child(name, process, log, logPath);
    }

    private static void Append(StreamWriter log, string? line)
    {
        if (line is null) return;
        lock (log)
        {
            try { log.WriteLine(line); }
            catch (ObjectDisposedException) { }
        }
    }

    /// <summary>SIGKILL to the whole process group: the host and its tools die in the same instant.</summary>
    public void KillGroup()
    {
        Native.Signal(-Pid, Native.SigKill);
        _process.WaitForExit(10_000);
        CloseLog();
    }

    /// <summary>SIGTERM (the host's graceful shutdown); true if it ended within <paramref name="timeout"/>.</summary>
    public bool Stop(TimeSpan timeout)
    {
        if (_process.HasExited) { CloseLog(); return true; }
        Native.Signal(Pid, Native.SigTerm);
        var stopped = _process.WaitForExit(timeout);
        if (stopped) _process.WaitForExit(); // drains the output readers
        CloseLog();
        return stopped;
    }

    private void CloseLog()
    {
        lock (_log)
        {
            try { _log.Dispose(); }
            catch (ObjectDisposedException) { }
        }
    }
}

public static class Native
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    public static bool Signal(int pid, int signal) => Kill(pid, signal) == 0;
}

/// <summary>What /proc says about the machine's processes.</summary>
public static class Processes
{
    public sealed record Info(int Pid, int ParentPid, int Group, string Command, string CommandLine);

    public static List<Info> All()
    {
        var all = new List<Info>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so read after the last ')'.
                var close = stat.LastIndexOf(')');
                var command = stat[(stat.IndexOf('(') + 1)..close];
                var fields = stat[(close + 2)..].Split(' ');
                if (fields[0] == "Z") continue; // a zombie has exited; only its parent's wait is missing
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
                all.Add(new Info(pid, int.Parse(fields[1], CultureInfo.InvariantCulture),
                    int.Parse(fields[2], CultureInfo.InvariantCulture), command, commandLine));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException
                or IndexOutOfRangeException or ArgumentOutOfRangeException) { }
        }
        return all;
    }

    /// <summary>Processes in any of <paramref name="groups"/> (the soak's children and everything they started).</summary>
    public static List<Info> InGroups(IReadOnlySet<int> groups) => All().Where(p => groups.Contains(p.Group)).ToList();

    /// <summary>Media tools (ffmpeg, ffprobe, espeak-ng) working on files under <paramref name="root"/>, whoever started them.</summary>
    public static List<Info> ToolsUnder(string root) => All()
        .Where(p => p.Command is "ffmpeg" or "ffprobe" or "espeak-ng" && p.CommandLine.Contains(root, StringComparison.Ordinal)).ToList();
}
