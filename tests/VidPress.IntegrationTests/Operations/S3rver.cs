using System.Diagnostics;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Operations;

/// <summary>
/// s3rver, a real S3-compatible server (npm, installed by `./vidpress test` into tests/ops-tools), on loopback
/// and a free port, with its own folder and one bucket. It checks every request's signature with its
/// credentials, so a request the SDK signs wrongly fails as it would against S3. <see cref="Client"/> reads the
/// bucket through the S3 API, independently of the storage code under test.
/// </summary>
public sealed class S3rver : IAsyncDisposable
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly Process _process;
    private readonly string _directory;

    private S3rver(Process process, string directory, string serviceUrl, string bucket)
    {
        _process = process;
        _directory = directory;
        ServiceUrl = serviceUrl;
        Bucket = bucket;
        Client = new AmazonS3Client(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
        {
            ServiceURL = serviceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED, ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
    }

    public string ServiceUrl { get; }
    public string Bucket { get; }
    public IAmazonS3 Client { get; }

    public static async Task<S3rver> StartAsync(string bucket = "vidpress-media")
    {
        var tools = Repository.Path("tests", "ops-tools");
        if (!Directory.Exists(Path.Combine(tools, "node_modules", "s3rver")))
            throw new InvalidOperationException($"s3rver is not installed in {tools}: run the tests with ./vidpress test, or `npm ci` there.");
        var directory = Directory.CreateTempSubdirectory("vidpress-s3rver-").FullName;
        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = tools, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        // s3rver's continuation tokens (a listing longer than a page) are DES-encrypted, which OpenSSL 3 keeps in its legacy provider.
        foreach (var argument in new[] { "--openssl-legacy-provider", "s3-server.mjs", directory, bucket }) startInfo.ArgumentList.Add(argument);
        var process = Process.Start(startInfo)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line is null)
        {
            await process.WaitForExitAsync(timeout.Token);
            throw new InvalidOperationException($"s3rver did not start (exit {process.ExitCode}): {await stderr}");
        }
        var url = JsonDocument.Parse(line).RootElement.GetProperty("url").GetString()!;
        return new S3rver(process, directory, url, bucket);
    }

    /// <summary>Every key in the bucket under <paramref name="prefix"/>, across pages (a small page size makes several).</summary>
    public async Task<List<string>> KeysAsync(string prefix = "")
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix, MaxKeys = 2 };
        ListObjectsV2Response page;
        do
        {
            page = await Client.ListObjectsV2Async(request);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = page.NextContinuationToken;
        } while (page.IsTruncated == true);
        return keys;
    }

    public async Task<byte[]> BytesAsync(string key)
    {
        using var response = await Client.GetObjectAsync(Bucket, key);
        using var memory = new MemoryStream();
        await response.ResponseStream.CopyToAsync(memory);
        return memory.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        // Its stdin closing stops it cleanly; a kill if it does not.
        _process.StandardInput.Close();
        if (!_process.WaitForExit(5000)) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
