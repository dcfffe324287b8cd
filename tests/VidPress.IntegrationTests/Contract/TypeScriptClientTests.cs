using VidPress.Testing;

namespace VidPress.IntegrationTests.Contract;

/// <summary>
/// openapi-typescript makes types from the running service's document and tsc --strict compiles a typed client
/// written against them (Contract/TypeScriptClient/cms.ts), without a cast.
/// </summary>
[Collection(SharedService.Name)]
public sealed class TypeScriptClientTests(ServiceFixture service)
{
    [Fact]
    public async Task A_typed_client_compiles_with_tsc_strict_against_the_generated_types()
    {
        var folder = Directory.CreateDirectory(Path.Combine(service.WorkFolder, "typescript-client-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var document = Path.Combine(folder, "openapi.json");
        await File.WriteAllTextAsync(document, await service.Client.GetStringAsync("/swagger/v1/swagger.json"));
        var client = await File.ReadAllTextAsync(Repository.Path("tests", "VidPress.IntegrationTests", "Contract", "TypeScriptClient", "cms.ts"));
        // No cast (`x as T`, `<T>x`) and no `any` in the code (its comments may say so).
        var code = string.Join("\n", client.Split('\n').Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)));
        Assert.DoesNotMatch(@"\bas\s+[A-Za-z{(\[]|\bany\b|(?<![\w.])<[A-Z][A-Za-z]*>\s*[a-z(]", code);
        await File.WriteAllTextAsync(Path.Combine(folder, "cms.ts"), client);

        var generated = await OpsTools.RunAsync("openapi-typescript", [document, "--output", Path.Combine(folder, "api.ts")]);
        Assert.True(generated.ExitCode == 0, $"openapi-typescript exited {generated.ExitCode}:\n{generated.Output}\n{generated.Error}");

        var compiled = await OpsTools.RunAsync("tsc",
            ["--strict", "--noEmit", "--target", "es2022", "--module", "es2022", "--moduleResolution", "bundler", "--lib", "es2022,dom", "cms.ts"], folder);
        Assert.True(compiled.ExitCode == 0, $"tsc --strict exited {compiled.ExitCode}:\n{compiled.Output}\n{compiled.Error}");
    }
}
