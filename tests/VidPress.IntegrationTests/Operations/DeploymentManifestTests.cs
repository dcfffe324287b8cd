using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Operations;

/// <summary>
/// deploy/k8s against the Kubernetes API's schemas (and KEDA's) with tests/ops-tools/validate-k8s.mjs, then the
/// rules of a deployment that starts and stays up: non-root, read-only, no capabilities, probes, disruption budgets,
/// the workers' autoscaler on queue depth, no test model in production. And compose: restart policies, worker health.
/// </summary>
public sealed partial class DeploymentManifestTests
{
    private static readonly string[] Manifests = Directory.GetFiles(Repository.Path("deploy", "k8s"), "*.yaml").Order().ToArray();

    [Fact]
    public async Task The_manifests_are_valid_against_the_Kubernetes_and_KEDA_schemas()
    {
        var (exitCode, output, error) = await ValidateAsync(Manifests);
        Assert.True(exitCode == 0, error);
        Assert.NotEmpty(JsonDocument.Parse(output).RootElement.EnumerateArray());
    }

    [Theory]
    [InlineData("runAsNonRoot: true", "runAsNonRoot: \"yes\"", "runAsNonRoot must be boolean")]
    [InlineData("minReplicaCount: 1", "minReplicaCount: one", "minReplicaCount must be integer")]
    [InlineData("kind: PodDisruptionBudget", "kind: PodDisruptionBudgett", "no schema for kind PodDisruptionBudgett")]
    public async Task A_broken_manifest_is_refused_by_the_validator(string good, string broken, string expected)
    {
        var text = string.Join("\n---\n", Manifests.Select(File.ReadAllText));
        Assert.Contains(good, text);
        var file = Path.Combine(Path.GetTempPath(), $"vidpress-broken-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, ReplaceFirst(text, good, broken));
        try
        {
            var (exitCode, _, error) = await ValidateAsync([file]);
            Assert.Equal(1, exitCode);
            Assert.Contains(expected, error);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Every_pod_runs_non_root_read_only_without_capabilities_and_the_workers_have_probes_budgets_and_an_autoscaler()
    {
        var (exitCode, output, error) = await ValidateAsync(Manifests);
        Assert.True(exitCode == 0, error);
        var documents = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        JsonElement[] OfKind(string kind) => [.. documents.Where(d => d.GetProperty("kind").GetString() == kind)];
        string NameOf(JsonElement d) => d.GetProperty("metadata").GetProperty("name").GetString()!;

        var deployments = OfKind("Deployment");
        Assert.Equal(["vidpress-api", "vidpress-gpu-worker", "vidpress-worker"], deployments.Select(NameOf).Order().ToArray());
        foreach (var deployment in deployments)
        {
            var pod = deployment.GetProperty("spec").GetProperty("template").GetProperty("spec");
            Assert.True(pod.GetProperty("securityContext").GetProperty("runAsNonRoot").GetBoolean(), NameOf(deployment));
            Assert.False(pod.TryGetProperty("automountServiceAccountToken", out var token) && token.GetBoolean(), NameOf(deployment));
            foreach (var container in pod.GetProperty("containers").EnumerateArray())
            {
                var security = container.GetProperty("securityContext");
                Assert.True(security.GetProperty("readOnlyRootFilesystem").GetBoolean(), NameOf(deployment));
                Assert.False(security.GetProperty("allowPrivilegeEscalation").GetBoolean(), NameOf(deployment));
                Assert.Equal(["ALL"], security.GetProperty("capabilities").GetProperty("drop").EnumerateArray().Select(c => c.GetString()!).ToArray());
                Assert.True(container.TryGetProperty("livenessProbe", out _), $"{NameOf(deployment)} has no liveness probe");
                Assert.True(container.TryGetProperty("readinessProbe", out _), $"{NameOf(deployment)} has no readiness probe");
                // Read-only root: every place the app writes is a volume.
                var mounts = container.GetProperty("volumeMounts").EnumerateArray().Select(m => m.GetProperty("mountPath").GetString()).ToList();
                Assert.Contains("/tmp", mounts);
                Assert.Contains("/data/media", mounts);
                // The production CLIP comes from the models volume, never the tiny test model baked into the image.
                Assert.Contains("/models", mounts);
                var env = container.TryGetProperty("env", out var e) ? e.EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!, v => v) : [];
                if (env.TryGetValue("Clip__ModelPath", out var clip)) Assert.DoesNotContain("tiny", clip.GetProperty("value").GetString());
            }
            if (NameOf(deployment) != "vidpress-api")
            {
                var worker = pod.GetProperty("containers")[0];
                Assert.Equal("/health/live", worker.GetProperty("livenessProbe").GetProperty("httpGet").GetProperty("path").GetString());
                Assert.Equal("/health", worker.GetProperty("readinessProbe").GetProperty("httpGet").GetProperty("path").GetString());
                Assert.Equal(9464, worker.GetProperty("readinessProbe").GetProperty("httpGet").GetProperty("port").GetInt32());
            }
        }
        var config = OfKind("ConfigMap").Single(c => NameOf(c) == "vidpress-config").GetProperty("data");
        Assert.DoesNotContain("tiny", config.GetProperty("Clip__ModelPath").GetString());

        Assert.Equal(["vidpress-api", "vidpress-gpu-worker", "vidpress-worker"], OfKind("PodDisruptionBudget").Select(NameOf).Order().ToArray());

        // The CPU workers scale on the render and default queues' depth, read by KEDA from Hangfire's jobqueue table.
        var scaled = OfKind("ScaledObject").Single(s => s.GetProperty("spec").GetProperty("scaleTargetRef").GetProperty("name").GetString() == "vidpress-worker");
        var trigger = scaled.GetProperty("spec").GetProperty("triggers").EnumerateArray().Single();
        Assert.Equal("postgresql", trigger.GetProperty("type").GetString());
        var query = trigger.GetProperty("metadata").GetProperty("query").GetString()!;
        Assert.Matches(@"(?is)from\s+hangfire\.jobqueue\s+where\s+fetchedat\s+is\s+null\s+and\s+queue\s+in\s*\('render',\s*'default'\)", query);
    }

    [Fact]
    public void Compose_restarts_every_service_and_checks_the_workers_health_on_their_own_port()
    {
        var compose = File.ReadAllText(Repository.Path("docker-compose.yml"));
        var services = ServiceBlock().Matches(compose.Split("\nvolumes:")[0].Split("\nservices:\n")[1])
            .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["body"].Value);
        Assert.Equal(["api", "db", "gpu-worker", "worker"], services.Keys.Order().ToArray());
        foreach (var (name, body) in services) Assert.Matches(@"(?m)^\s+restart: (unless-stopped|always)\s*$", body);
        foreach (var worker in new[] { "worker", "gpu-worker" })
        {
            Assert.Contains("healthcheck:", services[worker]);
            Assert.Contains("http://127.0.0.1:9464/health", services[worker]);
            Assert.Contains("Worker__MetricsPort", compose);
        }
        Assert.Contains("http://127.0.0.1:8080/health", services["api"]);
    }

    private static string ReplaceFirst(string text, string what, string with)
    {
        var at = text.IndexOf(what, StringComparison.Ordinal);
        return text[..at] + with + text[(at + what.Length)..];
    }

    private static async Task<(int ExitCode, string Output, string Error)> ValidateAsync(IEnumerable<string> files)
    {
        var tools = Repository.Path("tests", "ops-tools");
        if (!Directory.Exists(Path.Combine(tools, "node_modules", "kubernetes-models")))
            throw new InvalidOperationException($"The schemas are not installed in {tools}: run the tests with ./vidpress test, or `npm ci` there.");
        var startInfo = new ProcessStartInfo("node") { WorkingDirectory = tools, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        startInfo.ArgumentList.Add("validate-k8s.mjs");
        foreach (var file in files) startInfo.ArgumentList.Add(file);
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    // A top-level service of compose: its name at two spaces, its body the lines indented deeper.
    [GeneratedRegex(@"^  (?<name>[a-z][a-z-]*):\n(?<body>(?:(?:    .*)?\n)+)", RegexOptions.Multiline)]
    private static partial Regex ServiceBlock();
}
