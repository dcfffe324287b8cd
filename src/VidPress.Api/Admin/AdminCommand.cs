using Microsoft.EntityFrameworkCore;
using VidPress.Core;
using VidPress.Core.Data;
using VidPress.Core.Narration;
using VidPress.Core.Tenants;

namespace VidPress.Api.Admin;

/// <summary>
/// Operator verbs of the API binary (<c>dotnet VidPress.Api.dll admin VERB ...</c>, <c>./vidpress key ...</c>):
/// they talk to the database directly, so creating the first key needs no key. A key or secret is printed
/// once on stdout, alone, for scripts to capture; everything else goes to stderr.
/// </summary>
public static class AdminCommand
{
    public const string Usage = """
        usage: admin create-key --tenant NAME [--name LABEL]     a new key (and the tenant, with its webhook secret, if new)
               admin list-keys [--tenant NAME]
               admin revoke-key PREFIX|KEY
               admin webhook-secret --tenant NAME [--rotate]      print (or replace, then print) the tenant's webhook secret
               admin rate-limit --tenant NAME --rpm N|default
               admin generation --tenant NAME on|off          generated stills for sentences the library can't serve
               admin voice --tenant NAME --voice ID|default    the tenant's default narration voice (an id of GET /voices)
               admin breaking --tenant NAME on|off            whether its videos may ask for priority "breaking"
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder();
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddVidPressPipeline(builder.Configuration);
        using var host = builder.Build();
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VidPressDbContext>();
        if (builder.Configuration.GetValue("Database:MigrateOnStartup", true)) await db.Database.MigrateAsync();
        var admin = scope.ServiceProvider.GetRequiredService<TenantAdmin>();
        var ct = CancellationToken.None;
        try
        {
            switch (args)
            {
                case ["create-key", ..] when Option(args, "--tenant") is { } tenant:
                    var created = await admin.CreateKeyAsync(tenant, Option(args, "--name"), ct);
                    await stderr.WriteLineAsync(created.TenantCreated ? $"created tenant '{created.TenantName}' ({created.TenantId})" : $"tenant '{created.TenantName}' ({created.TenantId})");
                    if (created.WebhookSecret is not null) await stderr.WriteLineAsync($"webhook secret (also: admin webhook-secret --tenant {Quote(created.TenantName)}): {created.WebhookSecret}");
                    await stderr.WriteLineAsync($"API key {created.Prefix} — shown once, store it now; send it as the X-Api-Key header:");
                    await stdout.WriteLineAsync(created.Key);
                    return 0;
                case ["list-keys", ..]:
                    foreach (var k in await admin.ListKeysAsync(Option(args, "--tenant"), ct))
                        await stdout.WriteLineAsync($"{k.Prefix}\t{k.TenantName}\t{k.Name}\t{k.CreatedAt:O}\t{(k.RevokedAt is { } r ? "revoked " + r.ToString("O") : "active")}");
                    return 0;
                case ["revoke-key", var prefix]:
                    if (await admin.RevokeKeyAsync(prefix, ct)) { await stderr.WriteLineAsync($"revoked {prefix}"); return 0; }
                    await stderr.WriteLineAsync($"no active key {prefix}");
                    return 1;
                case ["webhook-secret", ..] when Option(args, "--tenant") is { } tenant:
                    var secret = await admin.WebhookSecretAsync(tenant, args.Contains("--rotate"), ct);
                    if (secret is null) await stderr.WriteLineAsync("this tenant has no own secret: webhooks are signed with Webhooks:Secret (use --rotate to give it one)");
                    else await stdout.WriteLineAsync(secret);
                    return 0;
                case ["rate-limit", ..] when Option(args, "--tenant") is { } tenant && Option(args, "--rpm") is { } rpm:
                    await admin.SetRequestsPerMinuteAsync(tenant, rpm == "default" ? null : int.Parse(rpm, System.Globalization.CultureInfo.InvariantCulture), ct);
                    await stderr.WriteLineAsync($"'{tenant}': {rpm} requests per minute");
                    return 0;
                case ["generation", .., var state] when Option(args, "--tenant") is { } tenant && state is "on" or "off":
                    await admin.SetGenerationAsync(tenant, state == "on", ct);
                    await stderr.WriteLineAsync($"'{tenant}': generated stills {state}");
                    return 0;
                case ["voice", ..] when Option(args, "--tenant") is { } tenant && Option(args, "--voice") is { } voice:
                    var chosen = voice == "default" ? null : voice;
                    if (chosen is not null && await scope.ServiceProvider.GetRequiredService<VoiceCatalogue>().ProblemAsync(chosen, null, ct) is { } problem)
                    {
                        await stderr.WriteLineAsync("error: " + problem);
                        return 1;
                    }
                    await admin.SetDefaultVoiceAsync(tenant, chosen, ct);
                    await stderr.WriteLineAsync($"'{tenant}': narrated by {chosen ?? "the deployment's voice per language"} unless a request names a voice");
                    return 0;
                case ["breaking", .., var state] when Option(args, "--tenant") is { } tenant && state is "on" or "off":
                    await admin.SetBreakingAsync(tenant, state == "on", ct);
                    await stderr.WriteLineAsync($"'{tenant}': breaking priority {(state == "on" ? "allowed" : "not allowed")}");
                    return 0;
                default:
                    await stderr.WriteLineAsync(Usage);
                    return 2;
            }
        }
        catch (Exception e) when (e is ArgumentException or KeyNotFoundException or FormatException)
        {
            await stderr.WriteLineAsync("error: " + e.Message);
            return 1;
        }
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string Quote(string value) => value.Contains(' ') ? $"'{value}'" : value;
}
