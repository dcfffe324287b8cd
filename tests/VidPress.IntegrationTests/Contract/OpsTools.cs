using System.Diagnostics;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Contract;

/// <summary>
/// The npm tools of the tests (tests/ops-tools, installed by <c>./vidpress test</c> from its package-lock.json):
/// Redocly CLI, openapi-typescript, the TypeScript compiler and the reference Standard Webhooks library.
/// </summary>
public static class OpsTools
{
    public static string Folder { get; } = Repository.Path("tests", "ops-tools");

    /// <summary>Runs <c>node_modules/.bin/<paramref name="tool"/></c> (or node itself) with the arguments, in <paramref name="workingDirectory"/>.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string tool, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var path = tool == "node" ? "node" : Path.Combine(Folder, "node_modules", ".bin", tool);
        if (tool != "node" && !File.Exists(path))
            throw new InvalidOperationException($"{tool} is not installed in {Folder}: run the tests with ./vidpress test, or `npm ci` there.");
        var startInfo = new ProcessStartInfo(path)
        {
            WorkingDirectory = workingDirectory ?? Folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        // Redocly asks its telemetry endpoint and prints update notices otherwise; nothing leaves this machine.
        startInfo.Environment["REDOCLY_TELEMETRY"] = "off";
        startInfo.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        startInfo.Environment["NO_COLOR"] = "1";
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw; }
        return (process.ExitCode, await output, await error);
    }
}
