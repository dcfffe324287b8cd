using VidPress.Core.Jobs;

namespace VidPress.UnitTests.Jobs;

public sealed class JobTypeNamesTests
{
    [Fact]
    public void A_still_job_enqueued_before_it_moved_to_Jobs_still_finds_its_class()
    {
        // As Hangfire's simple assembly-name serializer stored it in the previous version.
        Assert.Equal(typeof(StillGenerationJob), JobTypeNames.Resolve("VidPress.Core.Generation.StillGenerationJob, VidPress.Core"));
    }

    [Fact]
    public void Other_names_resolve_as_Hangfire_resolves_them()
    {
        Assert.Equal(typeof(VideoJob), JobTypeNames.Resolve("VidPress.Core.Jobs.VideoJob, VidPress.Core"));
        Assert.Equal(typeof(string), JobTypeNames.Resolve("System.String, mscorlib"));
    }
}
