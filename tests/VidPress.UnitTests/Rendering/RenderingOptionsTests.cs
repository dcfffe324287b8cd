using Microsoft.Extensions.Options;
using VidPress.Core.Rendering;

namespace VidPress.UnitTests.Rendering;

/// <summary>A misspelt encoder setting stops the host at start-up instead of failing every render later.</summary>
public sealed class RenderingOptionsTests
{
    private static RenderingOptions Resolve(string aacCoder) =>
        PipelineOptions.Resolve<RenderingOptions>(new Dictionary<string, string?> { ["Rendering:AacCoder"] = aacCoder });

    [Theory]
    [InlineData("fast")]
    [InlineData("twoloop")]
    public void Ffmpegs_coders_are_accepted(string coder) => Assert.Equal(coder, Resolve(coder).AacCoder);

    [Theory]
    [InlineData("mp3")]
    [InlineData("fast -map 0")]
    public void Anything_else_is_refused_with_the_setting_named(string coder)
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Resolve(coder));
        Assert.Contains("Rendering:AacCoder", refused.Message);
    }
}
