using System.Net.Http.Json;
using VidPress.Api.Library;
using VidPress.Core.Data;
using VidPress.Core.Tenants;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Security;

/// <summary>
/// Two newsrooms on the shared service. Newsroom A has an asset, a shot and a rendered video whose success
/// webhook went to a receiver that failed three times first; newsroom B has nothing of its own.
/// </summary>
public sealed class TwoNewsrooms(ServiceFixture service, CreatedKey a, CreatedKey b) : Newsroom(service, a)
{
    public CreatedKey A { get; } = a;
    public CreatedKey B { get; } = b;
    public HttpClient ClientA => Client;
    public HttpClient ClientB { get; } = service.CreateClient(b.Key);
    public HttpClient Anonymous { get; } = service.CreateClient(null);
    public Guid AssetA { get; private set; }
    public Guid ShotA { get; private set; }
    public Guid VideoA { get; private set; }

    public static Task<TwoNewsrooms> OnAsync(ServiceFixture service) => service.SceneAsync("two newsrooms", async s =>
    {
        var scene = new TwoNewsrooms(s, await s.CreateKeyAsync("newsroom-a"), await s.CreateKeyAsync("newsroom-b"));
        await scene.SetUpAsync();
        return scene;
    });

    private async Task SetUpAsync()
    {
        var clip = await Media.ShapeClipAsync(WorkFolder, "red-circle");
        var asset = await ClientA.AddAssetAsync(clip, "red-circle.mp4", "video/mp4", ("title", "red circle"), ("credit", "Newsroom A footage"));
        AssetA = asset.Id;
        ShotA = (await ClientA.GetAsync<SearchHit[]>("/library/search?q=a%20red%20circle")).First().ShotId;

        Webhooks.FailNext(3, "/hooks/newsroom-a");
        VideoA = await ClientA.PostVideoAsync(new
        {
            text = "A red circle rose over the city.", aspectRatio = "16:9", resolution = "720p", targetDurationSeconds = 5,
            callbackUrl = Webhooks.BaseUrl + "/hooks/newsroom-a",
        });
        Assert.Equal(VideoStatus.Succeeded, (await ClientA.WaitForVideoAsync(VideoA, TimeSpan.FromMinutes(4))).Status);
    }
}
