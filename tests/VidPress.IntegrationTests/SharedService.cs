using VidPress.Testing;

namespace VidPress.IntegrationTests;

/// <summary>
/// The one service most test classes share. Each setup that used to be a fixture (and a host) of its own is a
/// scene on it now: a tenant of its own, built on first use (<see cref="ServiceFixture.SceneAsync"/>).
/// Hosts of their own remain only for process-level settings: workers off (<c>Jobs</c> tests), loopback refused,
/// S3 storage, a stopped job server (the fuzzer), a missing ffmpeg, the image generator, a database outage.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedService : ICollectionFixture<ServiceFixture>
{
    public const string Name = "the shared service";
}
