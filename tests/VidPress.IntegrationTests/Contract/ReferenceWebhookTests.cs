using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VidPress.Core.Tenants;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Contract;

/// <summary>
/// A CMS's receiver verifies the service's deliveries with the reference Standard Webhooks library (npm standardwebhooks,
/// tests/ops-tools/webhook-receiver.mjs) and the tenant's own secret, sharing no code with the service's signer.
/// </summary>
[Collection(SharedService.Name)]
public sealed class ReferenceWebhookTests(ServiceFixture service)
{
    [Fact]
    public async Task The_reference_library_verifies_a_delivery_and_refuses_a_tampered_one()
    {
        const string tenant = "reference-webhooks";
        var newsroom = await service.NewsroomAsync(tenant);
        string secret;
        await using (var scope = service.Factory.Services.CreateAsyncScope())
            secret = (await scope.ServiceProvider.GetRequiredService<TenantAdmin>().WebhookSecretAsync(tenant, rotate: true, CancellationToken.None))!;

        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = OpsTools.Folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("webhook-receiver.mjs");
        startInfo.ArgumentList.Add(secret);
        using var receiver = Process.Start(startInfo)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            var url = JsonDocument.Parse(await receiver.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException("webhook-receiver.mjs did not start: " + await receiver.StandardError.ReadToEndAsync())).RootElement.GetProperty("url").GetString();

            using var created = await newsroom.Client.PostAsJsonAsync("/videos", new { text = "The harbour reopened on Monday. Ferries ran again at noon.", callbackUrl = url });
            Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

            var delivery = JsonDocument.Parse((await receiver.StandardOutput.ReadLineAsync(timeout.Token))!).RootElement;
            Assert.True(delivery.GetProperty("verified").GetBoolean(), delivery.ToString());
            Assert.Equal(id, delivery.GetProperty("videoId").GetString());
            Assert.StartsWith("video.", delivery.GetProperty("type").GetString());

            // The same delivery with one byte of its body changed: the signature no longer covers it.
            var body = delivery.GetProperty("body").GetString()!;
            using var tampered = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body.Replace(id!, Guid.NewGuid().ToString()), Encoding.UTF8, "application/json") };
            foreach (var header in delivery.GetProperty("headers").EnumerateObject()) tampered.Headers.Add(header.Name, header.Value.GetString());
            using var http = new HttpClient();
            using var refused = await http.SendAsync(tampered, timeout.Token);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var report = JsonDocument.Parse((await receiver.StandardOutput.ReadLineAsync(timeout.Token))!).RootElement;
            Assert.False(report.GetProperty("verified").GetBoolean());
        }
        finally
        {
            receiver.StandardInput.Close();
            if (!receiver.WaitForExit(5000)) receiver.Kill();
        }
    }
}
