using System.Text.Json;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Operations;

/// <summary>The Swagger description tells a CMS developer the errors and the upload forms, not only the happy path.</summary>
[Collection(SharedService.Name)]
public sealed class ApiDescriptionTests(ServiceFixture service)
{
    private async Task<JsonElement> PathsAsync() => (await service.GetJsonAsync("/swagger/v1/swagger.json")).GetProperty("paths");

    private static string[] Codes(JsonElement operation) => operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToArray();

    [Theory]
    [InlineData("/videos", "post", new[] { "202", "400", "401", "413", "422", "429" })]
    [InlineData("/videos/{id}", "get", new[] { "200", "400", "401", "404", "429" })]
    [InlineData("/videos/{id}/cancel", "post", new[] { "202", "404", "409" })]
    [InlineData("/videos/{id}/timeline", "put", new[] { "202", "400", "404", "409" })]
    [InlineData("/library/assets", "post", new[] { "200", "202", "400", "401", "413", "415", "422", "429" })]
    [InlineData("/library/assets/{id}", "delete", new[] { "204", "404" })]
    [InlineData("/library/music/{id}", "get", new[] { "200", "404" })]
    public async Task Operations_list_their_problem_answers(string path, string method, string[] expected)
    {
        var operation = (await PathsAsync()).GetProperty(path).GetProperty(method);
        var codes = Codes(operation);
        Assert.All(expected, code => Assert.Contains(code, codes));
        foreach (var code in codes.Where(c => c[0] is '4'))
            Assert.True(operation.GetProperty("responses").GetProperty(code).GetProperty("content").TryGetProperty("application/problem+json", out _), $"{method} {path} {code}");
    }

    [Theory]
    [InlineData("/library/assets", new[] { "file", "title", "tags", "licence", "credit", "expiresAt" })]
    [InlineData("/library/music", new[] { "file", "title", "moods", "credit" })]
    public async Task Uploads_describe_their_multipart_form(string path, string[] fields)
    {
        var body = (await PathsAsync()).GetProperty(path).GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data");
        var schema = body.GetProperty("schema");
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/').Last();
            schema = (await service.GetJsonAsync("/swagger/v1/swagger.json")).GetProperty("components").GetProperty("schemas").GetProperty(name);
        }
        var properties = schema.GetProperty("properties");
        Assert.All(fields, f => Assert.True(properties.TryGetProperty(f, out _), $"{path}: {f} in {properties}"));
        Assert.Equal("binary", properties.GetProperty("file").GetProperty("format").GetString());
    }
}
