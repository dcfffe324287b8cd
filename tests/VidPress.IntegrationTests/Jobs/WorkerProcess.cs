using System.Diagnostics;
using System.Text;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Jobs;

/// <summary>
/// src/VidPress.Worker's built dll as a real, separate process on a test's database and storage, so a
/// test can kill it the way a machine or container dies.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private static int _started;
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private WorkerProcess(Process process) => _process = process;

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public static string DllPath
    {
        get
        {
            // The worker is built by this project's build in the same configuration (Debug or Release).
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var path = Repository.Path("src", "VidPress.Worker", "bin", configuration, "net10.0", "VidPress.Worker.dll");
            if (!File.Exists(path)) throw new FileNotFoundException("Build src/VidPress.Worker first.", path);
            return path;
        }
    }

    public static WorkerProcess Start(string connectionString, string storageRoot, IDictionary<string, string>? settings = null)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(DllPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(DllPath);
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Testing",
            // Named, so a stuck test's list of database sessions says which are this worker's.
            ["ConnectionStrings__VidPress"] = connectionString + ";Application Name=vidpress-worker-" + Interlocked.Increment(ref _started),
            ["Storage__Root"] = storageRoot,
            ["Clip__ModelPath"] = Repository.Path("models", "tiny-clip"),
            ["Network__AllowLoopback"] = "true",
            // The same signing key as the test service, as every host of one deployment shares it.
            ["Downloads__SigningKey"] = "integration-tests-download-signing-key-0123456789",
            ["Webhooks__Secret"] = IntegrationSecrets.Webhook,
            ["Jobs__WorkerCount"] = "1",
            // A killed worker's job is handed to another worker after this long instead of five minutes.
            ["Jobs__InvisibilityTimeoutSeconds"] = "15",
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__LogLevel__Microsoft"] = "Warning",
            ["Logging__LogLevel__Hangfire"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) environment[key] = value;
        foreach (var (key, value) in environment) startInfo.Environment[key] = value;

        var process = new Process { StartInfo = startInfo };
        var worker = new WorkerProcess(process);
        process.OutputDataReceived += (_, e) => worker.Append(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>SIGKILL to the worker and its ffmpeg children at once, as when a container is killed.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            // Frozen first, so it cannot start another ffmpeg between the tree being listed and killed.
            using (var stop = Process.Start("kill", ["-STOP", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                stop.WaitForExit();
            _process.Kill(entireProcessTree: true);
        }
        _process.WaitForExit(10_000);
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            _log.AppendLine(line);
            if (_log.Length > 200_000) _log.Remove(0, _log.Length - 100_000);
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
