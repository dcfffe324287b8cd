using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace VidPress.Api.Library;

/// <summary>The fields and the file of one multipart upload, the file already on local disk.</summary>
public sealed class AssetUpload
{
    public Dictionary<string, List<string>> Fields { get; } = new(StringComparer.OrdinalIgnoreCase);
    public string? FileName { get; private set; }
    public string? LocalPath { get; private set; }
    public long Length { get; private set; }
    public string? Sha256 { get; private set; }
    public bool TooLarge { get; private set; }
    public string? Error { get; private set; }

    public string Field(string name) => Fields.TryGetValue(name, out var values) ? string.Join(',', values).Trim() : "";

    private const int MaxFieldBytes = 16 * 1024;
    /// <summary>What the body may carry beyond the file: the fields and the multipart framing.</summary>
    public const long MaxFormOverheadBytes = 1024 * 1024;
    private const int MaxFields = 100;

    /// <summary>
    /// Reads a multipart/form-data body section by section: text fields into memory (small, capped), the file
    /// part streamed straight to <paramref name="filePathFor"/>'s path while it is hashed, so neither ASP.NET's
    /// form buffering nor this code ever holds the file. Stops reading at <paramref name="maxFileBytes"/> + 1.
    /// </summary>
    public static async Task<AssetUpload> ReadAsync(HttpRequest request, long maxFileBytes, Func<string, string> filePathFor, CancellationToken ct)
    {
        var upload = new AssetUpload();
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) ||
            !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return upload.Fail("Send the asset as multipart/form-data.");
        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200) return upload.Fail("The multipart boundary is missing or too long.");

        // The body may legitimately be as large as the file plus its fields; the file check below is the real limit.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            bodySize.MaxRequestBodySize = maxFileBytes + MaxFormOverheadBytes;

        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null };
        try
        {
            return await ReadSectionsAsync(upload, reader, maxFileBytes, filePathFor, ct);
        }
        catch (MalformedBodyException e)
        {
            return upload.Fail($"The multipart body cannot be read: {e.Message}");
        }
    }

    private static async Task<AssetUpload> ReadSectionsAsync(
        AssetUpload upload, MultipartReader reader, long maxFileBytes, Func<string, string> filePathFor, CancellationToken ct)
    {
        var fields = 0;
        while (await Reading(() => reader.ReadNextSectionAsync(ct)) is { } section)
        {
            var disposition = section.GetContentDispositionHeader();
            if (disposition is null || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)) continue;
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            if (disposition.IsFileDisposition())
            {
                if (upload.LocalPath is not null) return upload.Fail("Send one file per upload.");
                upload.FileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "upload";
                upload.LocalPath = filePathFor(upload.FileName);
                if (!await upload.CopyFileAsync(section.Body, maxFileBytes, ct)) return upload;
            }
            else
            {
                if (++fields > MaxFields) return upload.Fail("Too many form fields.");
                var value = await ReadFieldAsync(section.Body, ct);
                if (value is null) return upload.Fail($"The field '{name}' is longer than {MaxFieldBytes} bytes.");
                if (!upload.Fields.TryGetValue(name, out var list)) upload.Fields[name] = list = [];
                list.Add(value);
            }
        }
        return upload;
    }

    private async Task<bool> CopyFileAsync(Stream source, long maxFileBytes, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[128 * 1024];
        await using var target = new FileStream(LocalPath!, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
        int read;
        while ((read = await Reading(() => source.ReadAsync(buffer, ct).AsTask())) > 0)
        {
            Length += read;
            if (Length > maxFileBytes)
            {
                TooLarge = true;
                return false;
            }
            hash.AppendData(buffer, 0, read);
            await target.WriteAsync(buffer.AsMemory(0, read), ct);
        }
        Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        return true;
    }

    private static async Task<string?> ReadFieldAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await Reading(() => body.ReadAsync(chunk, ct).AsTask())) > 0)
        {
            if (buffer.Length + read > MaxFieldBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>
    /// A read of the caller's multipart body. The reader throws IOException for a body that ends before its closing
    /// boundary and InvalidDataException for a malformed section header: the caller's mistake (a 400), not the
    /// server's. A body over the size limit (BadHttpRequestException, itself an IOException) stays a 413, and what
    /// writing the file throws is not wrapped.
    /// </summary>
    private static async Task<T> Reading<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception e) when (e is IOException and not BadHttpRequestException or InvalidDataException)
        {
            throw new MalformedBodyException(e is IOException ? "it ends before its closing boundary." : e.Message, e);
        }
    }

    private sealed class MalformedBodyException(string message, Exception inner) : Exception(message, inner);

    private AssetUpload Fail(string error)
    {
        Error = error;
        return this;
    }
}
