using System.Diagnostics;
using System.Text;

namespace VidPress.Core.Media;

/// <summary>The outcome of one external tool run: exit code, stdout bytes and the tail of stderr.</summary>
public sealed record ToolResult(int ExitCode, byte[] StandardOutput, string StandardError)
{
    public string StandardOutputText => Encoding.UTF8.GetString(StandardOutput);
}

/// <summary>Raised when an external tool fails, times out or cannot start.</summary>
public class ToolFailedException(string tool, string message) : Exception($"{tool}: {message}")
{
    public string Tool { get; } = tool;
}

/// <summary>Raised when a tool writes more to stdout than its run accepts; the tool was killed at that point.</summary>
public sealed class ToolOutputLimitException(string tool, long limitBytes)
    : ToolFailedException(tool, $"wrote more than {limitBytes} bytes to stdout and was killed")
{
    public long LimitBytes { get; } = limitBytes;
}

/// <summary>
/// Runs ffmpeg, ffprobe and espeak-ng as tracked child processes: arguments are passed as a list
/// (never through a shell), both output streams are drained so the child cannot block on a full
/// pipe, and the whole process tree is killed on timeout or cancellation. stdout is never collected without a
/// bound: every run accepts at most <c>maxOutputBytes</c> (<see cref="DefaultMaxOutputBytes"/> unless the caller
/// sizes it from what it asked for), and a tool that writes more is killed there (<see cref="ToolOutputLimitException"/>).
/// stderr keeps only its last 16 KB; a caller reading every stderr line bounds what it keeps itself.
/// </summary>
public static class ToolProcess
{
    private const int StderrTailBytes = 16 * 1024;
    /// <summary>The stdout a run accepts unless it says otherwise: ample for JSON, version strings and progress reports.</summary>
    public const long DefaultMaxOutputBytes = 16 * 1024 * 1024;

    public static async Task<ToolResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        CancellationToken cancellationToken = default,
        Stream? standardInput = null,
        Action<string>? onStderrLine = null,
        ProcessPriorityClass? priority = null,
        long maxOutputBytes = DefaultMaxOutputBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxOutputBytes);
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);

        using var process = new Process { StartInfo = startInfo };
        try
        {
            if (!process.Start()) throw new ToolFailedException(fileName, "could not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ToolFailedException(fileName, $"could not start ({e.Message}); is it installed?");
        }
        if (priority is { } wanted)
        {
            // Set right after the start, before the tool spawns its worker threads, which inherit it (Linux nice).
            try { process.PriorityClass = wanted; }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or PlatformNotSupportedException) { }
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        using var registration = timeoutSource.Token.Register(() => Kill(process));

        var stdout = new MemoryStream();
        var overLimit = false;
        var stdoutTask = Task.Run(async () =>
        {
            var source = process.StandardOutput.BaseStream;
            var chunk = new byte[64 * 1024];
            int read;
            while ((read = await source.ReadAsync(chunk, CancellationToken.None)) > 0)
            {
                if (stdout.Length + read > maxOutputBytes)
                {
                    // Stop reading and kill: the tool blocks on the full pipe until it dies, so nothing more is produced.
                    overLimit = true;
                    Kill(process);
                    return;
                }
                stdout.Write(chunk, 0, read);
            }
        }, CancellationToken.None);
        var stderr = new StringBuilder();
        var stderrTask = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync(CancellationToken.None) is { } line)
            {
                onStderrLine?.Invoke(line);
                lock (stderr)
                {
                    stderr.AppendLine(line);
                    if (stderr.Length > StderrTailBytes * 2) stderr.Remove(0, stderr.Length - StderrTailBytes);
                }
            }
        }, CancellationToken.None);
        Task stdinTask = Task.CompletedTask;
        if (standardInput is not null)
        {
            stdinTask = Task.Run(async () =>
            {
                try
                {
                    await standardInput.CopyToAsync(process.StandardInput.BaseStream, timeoutSource.Token);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException) { }
                finally
                {
                    try { process.StandardInput.Close(); } catch (IOException) { }
                }
            }, CancellationToken.None);
        }

        await process.WaitForExitAsync(CancellationToken.None);
        await Task.WhenAll(stdoutTask, stderrTask, stdinTask);

        cancellationToken.ThrowIfCancellationRequested();
        if (overLimit) throw new ToolOutputLimitException(fileName, maxOutputBytes);
        if (timeoutSource.IsCancellationRequested)
            throw new ToolFailedException(fileName, $"timed out after {timeout.TotalSeconds:0.#} s and was killed");

        string tail;
        lock (stderr) tail = stderr.Length > StderrTailBytes ? stderr.ToString(stderr.Length - StderrTailBytes, StderrTailBytes) : stderr.ToString();
        return new ToolResult(process.ExitCode, stdout.ToArray(), tail);
    }

    /// <summary>Runs the tool and throws <see cref="ToolFailedException"/> unless it exits with 0.</summary>
    public static async Task<ToolResult> RunCheckedAsync(
        string fileName, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default, Stream? standardInput = null,
        long maxOutputBytes = DefaultMaxOutputBytes)
    {
        var result = await RunAsync(fileName, arguments, timeout, cancellationToken, standardInput, maxOutputBytes: maxOutputBytes);
        if (result.ExitCode != 0)
            throw new ToolFailedException(fileName, $"exited with {result.ExitCode}: {LastLines(result.StandardError, 5)}");
        return result;
    }

    private static string LastLines(string text, int count) =>
        string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(count));

    private static void Kill(Process process)
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
    }
}
