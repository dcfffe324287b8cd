using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Operations;

/// <summary>
/// The worker images are built on the plain .NET runtime image, which has no ASP.NET Core shared framework: the
/// worker must run without it, and every image's base must carry the frameworks its app's runtimeconfig names.
/// </summary>
public sealed partial class WorkerRuntimeTests
{
    private const string NetCore = "Microsoft.NETCore.App";
    private const string AspNetCore = "Microsoft.AspNetCore.App";

    [Fact]
    public async Task The_published_worker_starts_its_Hangfire_server_on_a_dotnet_that_holds_only_Microsoft_NETCore_App()
    {
        var work = Directory.CreateTempSubdirectory("vidpress-runtime-").FullName;
        try
        {
            var published = Path.Combine(work, "worker");
            var publish = await RunAsync("dotnet", ["publish", Repository.Path("src", "VidPress.Worker", "VidPress.Worker.csproj"), "--no-build",
                "-c", Configuration, "-o", published, "-nologo", "-v", "q"], TimeSpan.FromMinutes(5));
            Assert.True(publish.ExitCode == 0, publish.Output);
            Assert.Equal([NetCore], FrameworksOf(Path.Combine(published, "VidPress.Worker.runtimeconfig.json")));

            // A .NET installation as the runtime image has it: the host, its resolver and Microsoft.NETCore.App alone.
            var installed = Path.GetDirectoryName(Path.GetFullPath(DotnetExecutable()))!;
            var root = Path.Combine(work, "dotnet");
            Directory.CreateDirectory(Path.Combine(root, "shared"));
            File.Copy(Path.Combine(installed, "dotnet"), Path.Combine(root, "dotnet"));
            Directory.CreateSymbolicLink(Path.Combine(root, "host"), Path.Combine(installed, "host"));
            Directory.CreateSymbolicLink(Path.Combine(root, "shared", NetCore), Path.Combine(installed, "shared", NetCore));
            Assert.False(Directory.Exists(Path.Combine(root, "shared", AspNetCore)));

            await using var database = await TestDatabase.CreateAsync();
            var startInfo = new ProcessStartInfo(Path.Combine(root, "dotnet"))
            {
                WorkingDirectory = published, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            startInfo.ArgumentList.Add(Path.Combine(published, "VidPress.Worker.dll"));
            startInfo.Environment["DOTNET_ROOT"] = root;
            startInfo.Environment["DOTNET_MULTILEVEL_LOOKUP"] = "0";
            startInfo.Environment["DOTNET_ENVIRONMENT"] = "Testing";
            startInfo.Environment["ConnectionStrings__VidPress"] = database.ConnectionString;
            startInfo.Environment["Storage__Root"] = Path.Combine(work, "media");
            startInfo.Environment["Clip__ModelPath"] = Repository.Path("models", "tiny-clip");
            startInfo.Environment["Downloads__SigningKey"] = "integration-tests-download-signing-key-0123456789";
            startInfo.Environment["Webhooks__Secret"] = IntegrationSecrets.Webhook;
            startInfo.Environment["Jobs__WorkerCount"] = "1";
            startInfo.Environment["Logging__LogLevel__Default"] = "Information";
            startInfo.Environment["Logging__LogLevel__Hangfire"] = "Information";

            using var worker = new Process { StartInfo = startInfo };
            var log = new System.Text.StringBuilder();
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnLine(string? line)
            {
                if (line is null) return;
                lock (log) log.AppendLine(line);
                if (line.Contains("successfully announced", StringComparison.Ordinal)) started.TrySetResult();
            }
            worker.OutputDataReceived += (_, e) => OnLine(e.Data);
            worker.ErrorDataReceived += (_, e) => OnLine(e.Data);
            worker.Start();
            worker.BeginOutputReadLine();
            worker.BeginErrorReadLine();
            try
            {
                var exited = worker.WaitForExitAsync();
                var first = await Task.WhenAny(started.Task, exited, Task.Delay(TimeSpan.FromMinutes(2)));
                string Log() { lock (log) return log.ToString(); }
                Assert.True(first == started.Task, $"The worker did not announce its Hangfire server (exited: {worker.HasExited}).\n{Log()}");
                Assert.DoesNotContain(AspNetCore, Log());
            }
            finally
            {
                if (!worker.HasExited) worker.Kill(entireProcessTree: true);
                await worker.WaitForExitAsync();
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    public static TheoryData<string> Dockerfiles() =>
        [.. Directory.GetFiles(Repository.Path("deploy", "docker"), "*.Dockerfile").Select(f => Path.GetFileName(f)).Order()];

    [Theory, MemberData(nameof(Dockerfiles))]
    public void Each_image_runs_on_the_base_its_apps_runtimeconfig_needs(string dockerfile)
    {
        var text = File.ReadAllText(Repository.Path("deploy", "docker", dockerfile));
        // The last stage is the image. .NET comes with its base, or, on another base (the GPU worker's CUDA image), from
        // the stage whose /usr/share/dotnet it copies.
        var stages = FromLine().Matches(text).Select(m => (Image: m.Groups["image"].Value, Name: m.Groups["name"].Value)).ToList();
        var image = stages[^1].Image;
        if (!image.StartsWith("mcr.microsoft.com/dotnet/", StringComparison.Ordinal))
        {
            var from = CopiedDotnet().Match(text);
            Assert.True(from.Success, $"{dockerfile}: the image {image} has no .NET and copies none from a stage.");
            image = stages.Single(s => s.Name == from.Groups["stage"].Value).Image;
        }
        var dll = EntryPoint().Match(text) is { Success: true } entry ? entry.Groups["dll"].Value : throw new Xunit.Sdk.XunitException($"{dockerfile}: no dotnet ENTRYPOINT");
        var project = Path.GetFileNameWithoutExtension(dll);
        var runtimeConfig = Repository.Path("src", project, "bin", Configuration, "net10.0", project + ".runtimeconfig.json");
        var frameworks = FrameworksOf(runtimeConfig);

        var expected = frameworks.Contains(AspNetCore) ? "mcr.microsoft.com/dotnet/aspnet:10.0" : "mcr.microsoft.com/dotnet/runtime:10.0";
        Assert.True(image == expected, $"{dockerfile} runs {dll} (frameworks: {string.Join(", ", frameworks)}) on {image}; it needs {expected}.");
    }

    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    private static string[] FrameworksOf(string runtimeConfig)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
        var options = json.RootElement.GetProperty("runtimeOptions");
        var frameworks = options.TryGetProperty("frameworks", out var many) ? many.EnumerateArray().ToList()
            : [options.GetProperty("framework")];
        return [.. frameworks.Select(f => f.GetProperty("name").GetString()!).Order()];
    }

    private static string DotnetExecutable()
    {
        var fromHost = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromHost) && File.Exists(fromHost)) return ResolveLinks(fromHost);
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            var candidate = Path.Combine(folder, "dotnet");
            if (File.Exists(candidate)) return ResolveLinks(candidate);
        }
        throw new FileNotFoundException("dotnet is not on PATH.");
    }

    private static string ResolveLinks(string path) => new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;

    private static async Task<(int ExitCode, string Output)> RunAsync(string tool, string[] arguments, TimeSpan timeout)
    {
        var startInfo = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await output + await error);
    }

    [GeneratedRegex(@"^FROM\s+(?<image>\S+)(\s+AS\s+(?<name>\S+))?", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex FromLine();

    [GeneratedRegex(@"^COPY\s+--from=(?<stage>\S+)\s+/usr/share/dotnet\b", RegexOptions.Multiline)]
    private static partial Regex CopiedDotnet();

    [GeneratedRegex(@"^ENTRYPOINT\s+\[""dotnet"",\s*""(?<dll>[^""]+\.dll)""", RegexOptions.Multiline)]
    private static partial Regex EntryPoint();
}
