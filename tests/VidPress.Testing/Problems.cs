using System.Net.Http.Json;
using System.Text.Json;

namespace VidPress.Testing;

/// <summary>The service's error answers, read as raw JSON on purpose: the wire shape of a problem document is what is tested.</summary>
public static class Problems
{
    /// <summary>A problem document (RFC 9457) whose status is the response's, with a title and no stack trace.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)response.StatusCode, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.DoesNotContain("   at ", problem.ToString());
        return problem;
    }
}
