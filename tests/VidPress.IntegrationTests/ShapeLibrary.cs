using VidPress.Core.Data;
using VidPress.Testing;

namespace VidPress.IntegrationTests;

/// <summary>A newsroom with a library of six shape clips, shared by the end-to-end tests.</summary>
public sealed class ShapeLibrary(ServiceFixture service, VidPress.Core.Tenants.CreatedKey key) : Newsroom(service, key)
{
    public Dictionary<string, Guid> AssetIds { get; } = [];

    /// <summary>The shared service's shape library, uploaded on first use.</summary>
    public static Task<ShapeLibrary> OnAsync(ServiceFixture service) => service.SceneAsync("shape library", async s =>
    {
        var library = new ShapeLibrary(s, await s.CreateKeyAsync("shapes"));
        foreach (var picture in Media.ShapePictures)
        {
            var clip = await Media.ShapeClipAsync(s.WorkFolder, picture);
            library.AssetIds[picture] = await library.Client.UploadAssetAsync(clip, picture + ".mp4", "video/mp4",
                ("title", picture.Replace('-', ' ')), ("tags", "shape,test"), ("credit", "VidPress test footage"));
        }
        foreach (var id in library.AssetIds.Values)
            Assert.Equal(AssetStatus.Ready, (await library.WaitForAssetAsync(id, TimeSpan.FromMinutes(2))).Status);
        return library;
    });
}
