using System.Diagnostics;
using System.Text;

namespace VidPress.Core.Media;

/// <summary>The outcome of one external tool run: exit code, stdout bytes and the tail of stderr.</summary>
public sealed record ToolResult(int ExitCode, byte[] StandardOutput, string StandardError)
{
    public string StandardOutputText => Encoding.UTF8.GetString(StandardOutput);
}

/// <summary>Raised when an external tool fails, times out or cannot start.</summary>
public sealed class ToolFailedException(string tool, string message) : Exception($"{tool}: {message}")
{
    public string Tool { get; } = tool;
}

/// <summary>
/// Runs ffmpeg, ffprobe and espeak-ng as tracked child processes: arguments are passed as a list
/// (never through a shell), both output streams are drained so the child cannot block on a full
/// pipe, and the whole process tree is killed on timeout or cancellation.
/// </summary>
public static class ToolProcess
{
    private const int StderrTailBytes = 16 * 1024;

    public static async Task<ToolResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        CancellationToken cancellationToken = default,
        Stream? standardInput = null,
        Action<string>? onStderrLine = null,
        ProcessPriorityClass? priority = null)
    {
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
        var stdoutTask = process.StandardOutput.BaseStream.CopyToAsync(stdout, CancellationToken.None);
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
        if (timeoutSource.IsCancellationRequested)
            throw new ToolFailedException(fileName, $"timed out after {timeout.TotalSeconds:0.#} s and was killed");

        string tail;
        lock (stderr) tail = stderr.Length > StderrTailBytes ? stderr.ToString(stderr.Length - StderrTailBytes, StderrTailBytes) : stderr.ToString();
        return new ToolResult(process.ExitCode, stdout.ToArray(), tail);
    }

    /// <summary>Runs the tool and throws <see cref="ToolFailedException"/> unless it exits with 0.</summary>
    public static async Task<ToolResult> RunCheckedAsync(
        string fileName, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default, Stream? standardInput = null)
    {
        var result = await RunAsync(fileName, arguments, timeout, cancellationToken, standardInput);
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
