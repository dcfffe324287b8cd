using System.Net;
using Xunit.Abstractions;

namespace VidPress.IntegrationTests.Security.Fuzzing;

/// <summary>
/// Property-based fuzzing of every operation of the service's own API description (CsCheck): requests built from
/// the schemas, mixed with hostile values, sent one at a time as newsroom A. Fixed seed by default;
/// VIDPRESS_FUZZ_SEED and VIDPRESS_FUZZ_ITERATIONS (per operation; tripled for those with a JSON body) for longer
/// runs. Every failure fails the test: no defect class is tolerated.
/// </summary>
[Collection(FuzzServiceCollection.Name)]
public sealed class RequestFuzzTests(FuzzServiceFixture service, ITestOutputHelper output)
{
    [Fact]
    public void Every_operation_of_the_api_description_can_be_generated_and_every_endpoint_is_described_or_fuzzed_besides()
    {
        var api = new OpenApiOperations(service.Document);
        Assert.True(api.All.Count >= 20, $"Only {api.All.Count} operations in the API description.");
        Assert.Empty(api.Unsupported());
        var fuzzed = RequestFuzzer.Operations(api).Select(o => o.Name).ToHashSet();
        var endpoints = service.RouteEndpoints();
        output.WriteLine(string.Join('\n', endpoints));
        // An endpoint left out of the description (ExcludeFromDescription, a new MapGet without metadata) would not be fuzzed.
        Assert.All(endpoints, e => Assert.True(fuzzed.Contains(e) || (e.StartsWith("* ", StringComparison.Ordinal) && fuzzed.Contains("GET " + e[2..])),
            $"{e} is neither in the API description nor among the fuzzer's extra endpoints."));
    }

    [Fact]
    public async Task Every_operation_is_sent_requests_that_reach_its_handler()
    {
        var result = await service.RunAsync();
        output.WriteLine(result.Summary());
        foreach (var operation in RequestFuzzer.Operations(new OpenApiOperations(service.Document)))
        {
            Assert.True(result.Statuses.TryGetValue(operation.Name, out var statuses), $"{operation} was not fuzzed.");
            Assert.True(statuses.Values.Sum() >= RequestFuzzer.Iterations, $"{operation}: {statuses.Values.Sum()} requests.");
            // Past authentication and routing: an answer that only the operation's own code gives.
            Assert.True(statuses.Keys.Any(s => s is not (401 or 404 or 405)), $"{operation} only answered {string.Join(", ", statuses.Keys)}.");
        }
    }

    [Fact]
    public async Task No_fuzzed_request_gets_a_5xx_or_a_4xx_that_is_not_a_problem_or_stores_something_when_rejected()
    {
        var result = await service.RunAsync();
        output.WriteLine($"{result.Requests} requests, seed {result.Seed}, {result.Iterations} iterations per operation.\n{result.Summary()}\n");
        Assert.True(result.AcceptedChanges > 0, "No accepted request changed a table or a file: the stored-nothing comparison would see nothing either.");
        var failures = result.Failures;
        Assert.True(failures.Count == 0,
            $"{failures.Count} distinct failures in {result.Requests} requests (seed {result.Seed}):\n\n{string.Join("\n\n", failures)}");
    }

    [Fact]
    public async Task The_service_still_answers_health_after_the_fuzzing()
    {
        await service.RunAsync();
        using var health = await service.Anonymous.GetAsync("/health");
        Assert.True(health.StatusCode == HttpStatusCode.OK, await health.Content.ReadAsStringAsync());
        using var live = await service.Anonymous.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var videos = await service.ClientA.GetAsync("/videos");
        Assert.Equal(HttpStatusCode.OK, videos.StatusCode);
    }
}
