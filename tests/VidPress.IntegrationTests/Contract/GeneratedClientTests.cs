using System.Text;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Contract;

/// <summary>
/// The whole flow of a CMS through a C# client NSwag generates from the running service's document, with no HTTP
/// written by hand: upload a clip, make a video, follow it, read and edit its timeline, download the MP4 and subtitles.
/// The client throws when an answer does not match the document (a required property missing, an unknown enum value).
/// </summary>
[Collection(SharedService.Name)]
public sealed class GeneratedClientTests(ServiceFixture service)
{
    [Fact]
    public async Task A_generated_csharp_client_drives_the_whole_flow()
    {
        var newsroom = await service.NewsroomAsync("generated-csharp-client");
        var document = await newsroom.Client.GetStringAsync("/swagger/v1/swagger.json");
        var client = await NSwagClient.GenerateAsync(document);
        var flow = await File.ReadAllTextAsync(Repository.Path("tests", "VidPress.IntegrationTests", "Contract", "GeneratedClient", "CmsFlow.cs"));
        var assembly = NSwagClient.Compile(("VidPressApiClient.cs", client), ("CmsFlow.cs", flow));
        var clip = await Media.ShapeClipAsync(Directory.CreateTempSubdirectory("generated-client-").FullName, "red-circle");

        var run = assembly.GetType("CmsFlow")!.GetMethod("RunAsync")!;
        var result = await (Task<Dictionary<string, object>>)run.Invoke(null, [newsroom.Client, clip, TimeSpan.FromMinutes(5)])!;

        Assert.Equal("Ready", result["assetStatus"]);
        Assert.Equal("Succeeded", result["firstStatus"]);
        Assert.Equal("Succeeded", result["editedStatus"]);
        Assert.Equal((int)result["revisionBefore"] + 1, (int)result["revisionAfter"]);
        var mp4 = (byte[])result["mp4"];
        Assert.True(mp4.Length > 1000, $"{mp4.Length} bytes");
        Assert.Equal("ftyp", Encoding.ASCII.GetString(mp4, 4, 4));
        Assert.Equal(206, (int)result["rangeStatus"]);
        Assert.Equal(mp4[..8], (byte[])result["range"]);
        // The edited cue comes back in both sidecar files.
        var vtt = (string)result["vtt"];
        Assert.StartsWith("WEBVTT", vtt);
        Assert.Matches(@"\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}|\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}", vtt);
        Assert.Contains("Edited through the generated client.", vtt);
        var srt = (string)result["srt"];
        Assert.Matches(@"^1\r?\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}\r?\n", srt);
        Assert.Contains("Edited through the generated client.", srt);
    }
}
