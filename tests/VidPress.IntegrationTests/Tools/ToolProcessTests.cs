using VidPress.Core.Media;

namespace VidPress.IntegrationTests.Tools;

/// <summary>ToolProcess never holds more of a tool's stdout than the run accepts, and kills a tool that writes on.</summary>
public sealed class ToolProcessTests
{
    [Fact]
    public async Task Output_up_to_the_cap_is_returned_whole()
    {
        var result = await ToolProcess.RunCheckedAsync("head", ["-c", "100000", "/dev/zero"], TimeSpan.FromMinutes(1), maxOutputBytes: 100_000);

        Assert.Equal(100_000, result.StandardOutput.Length);
    }

    [Fact]
    public async Task One_byte_past_the_cap_kills_the_tool_and_raises()
    {
        var error = await Assert.ThrowsAsync<ToolOutputLimitException>(
            () => ToolProcess.RunAsync("head", ["-c", "100001", "/dev/zero"], TimeSpan.FromMinutes(1), maxOutputBytes: 100_000));

        Assert.Equal(100_000, error.LimitBytes);
        Assert.IsAssignableFrom<ToolFailedException>(error);
    }

    [Fact]
    public async Task A_tool_that_never_stops_writing_is_killed_at_the_cap()
    {
        // `yes` writes until it is killed: the run ends only because the cap kills it (the timeout is far away).
        var error = await Assert.ThrowsAsync<ToolOutputLimitException>(
            () => ToolProcess.RunAsync("yes", [], TimeSpan.FromMinutes(10), maxOutputBytes: 1024 * 1024));

        Assert.Contains("wrote more than 1048576 bytes", error.Message);
    }

    [Fact]
    public async Task Without_a_stated_cap_the_default_applies()
    {
        await Assert.ThrowsAsync<ToolOutputLimitException>(() => ToolProcess.RunAsync("yes", [], TimeSpan.FromMinutes(10)));
    }
}
