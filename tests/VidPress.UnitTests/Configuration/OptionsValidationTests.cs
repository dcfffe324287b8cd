using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VidPress.Core;

namespace VidPress.UnitTests.Configuration;

/// <summary>
/// Every setting of the pipeline is checked when a host starts (what <c>ValidateOnStart</c> runs, through
/// <see cref="IStartupValidator"/>): a value out of its bounds stops the host with the key named as an operator writes it.
/// </summary>
public sealed class OptionsValidationTests
{
    private static IServiceCollection Services(IConfiguration configuration)
    {
        var services = new ServiceCollection().AddSingleton(configuration).AddLogging();
        services.AddVidPressPipeline(configuration);
        return services;
    }

    /// <summary>What a host start does with the pipeline's options, given these settings over the required secrets.</summary>
    private static void StartUp(IDictionary<string, string?> settings)
    {
        var merged = PipelineOptions.Required.ToDictionary();
        foreach (var (key, value) in settings) merged[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(merged.Where(p => p.Value is not null)).Build();
        using var provider = Services(configuration).BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Theory]
    [InlineData("Network:MaxRedirects", "-1")]
    [InlineData("Network:Timeout", "00:00:00")]
    [InlineData("Storage:Root", " ")]
    [InlineData("Storage:ScratchMaxAge", "00:00:05")]
    [InlineData("Storage:S3:ServiceUrl", "ftp://minio.local")]
    [InlineData("Media:MaxStreams", "0")]
    [InlineData("Media:MaxPixels", "-1")]
    [InlineData("Media:AllowedFormats:0", "mp4,hls")]
    [InlineData("Clip:BatchSize", "0")]
    [InlineData("Script:MaxSentences", "0")]
    [InlineData("Script:DefaultTargetSeconds", "601")]
    [InlineData("Narration:Rate", "5")]
    [InlineData("Narration:PauseSeconds", "-0.1")]
    [InlineData("Narration:Parallelism", "-1")]
    [InlineData("Narration:EspeakPath", " ")]
    [InlineData("Narration:Voices:en", " ")]
    [InlineData("Library:MaxUploadBytes", "0")]
    [InlineData("Library:MaxMusicSeconds", "1")]
    [InlineData("Library:MaxMusicSeconds", "10801")]
    [InlineData("Library:SceneThreshold", "1.5")]
    [InlineData("Library:KeyframeBatchSize", "0")]
    [InlineData("Library:Quality:MinBrightness", "2")]
    [InlineData("Library:IngestToolTimeout", "00:00:00")]
    [InlineData("Library:EfSearch", "0")]
    [InlineData("Library:ExactSearchMaxKeyframes", "-1")]
    [InlineData("Timeline:FrameRate", "0")]
    [InlineData("Timeline:OffKeyframeRelevance", "1.5")]
    [InlineData("Timeline:Weights:Relevance", "-1")]
    [InlineData("Generation:Steps", "0")]
    [InlineData("Generation:Scheduler", "ddim")]
    [InlineData("Generation:PromptTemplate", "a photo")]
    [InlineData("Rendering:Preset", "fastest")]
    [InlineData("Rendering:TruePeakTarget", "3")]
    [InlineData("Rendering:Segments", "-2")]
    [InlineData("Webhooks:RetryJitter", "2")]
    [InlineData("Webhooks:PublicBaseUrl", "vidpress.example.org")]
    [InlineData("Webhooks:RetryDelaysSeconds:0", "-5")]
    [InlineData("Downloads:LinkLifetime", "00:00:01")]
    [InlineData("Jobs:MaxAttempts", "0")]
    [InlineData("Jobs:CandidatesPerSentence", "0")]
    public void A_value_out_of_bounds_stops_the_host_with_its_key_named(string key, string value)
    {
        var refused = Assert.Throws<OptionsValidationException>(() => StartUp(new Dictionary<string, string?> { [key] = value }));
        // The array and dictionary keys are named by their section ("Media:AllowedFormats", "Webhooks:RetryDelaysSeconds").
        var named = key.EndsWith(":0", StringComparison.Ordinal) ? key[..^2] : key;
        Assert.Contains(named, refused.Message);
    }

    [Fact]
    public void A_rule_between_two_settings_names_both()
    {
        var refused = Assert.Throws<OptionsValidationException>(() => StartUp(new Dictionary<string, string?>
        {
            ["Library:SceneThreshold"] = "0.2",
            ["Library:ScenePeakMinScore"] = "0.25",
        }));
        Assert.Contains("Library:ScenePeakMinScore", refused.Message);
        Assert.Contains("Library:SceneThreshold", refused.Message);
    }

    [Fact]
    public void S3_storage_without_a_bucket_is_refused()
    {
        var refused = Assert.Throws<OptionsValidationException>(() => StartUp(new Dictionary<string, string?> { ["Storage:Kind"] = "S3" }));
        Assert.Contains("Storage:S3:Bucket", refused.Message);
    }

    [Theory]
    [InlineData("Library:MaxMusicSeconds", "10800")]
    [InlineData("Library:SceneThreshold", "1")]
    [InlineData("Library:DecodeThreads", "0")]
    [InlineData("Narration:Parallelism", "0")]
    [InlineData("Rendering:Segments", "0")]
    [InlineData("Timeline:MinimumShotScore", "0.8")]
    [InlineData("Generation:Scheduler", "LCM")]
    [InlineData("Storage:S3:ServiceUrl", "http://127.0.0.1:9000")]
    public void Values_at_the_bounds_and_documented_special_values_are_taken(string key, string value) =>
        StartUp(new Dictionary<string, string?> { [key] = value });

    [Fact]
    public void The_split_library_settings_still_bind_from_the_library_section()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Library:MaxUploadBytes"] = "1000", ["Library:MaxMusicSeconds"] = "60",
            ["Library:SceneThreshold"] = "0.4", ["Library:Quality:MinSharpness"] = "3", ["Library:DecodeThreads"] = "2",
            ["Library:EfSearch"] = "100", ["Library:ExactSearchMaxKeyframes"] = "5", ["Library:HnswMaxScanTuples"] = "7",
        };
        var upload = PipelineOptions.Resolve<Core.Library.LibraryUploadOptions>(settings);
        var ingest = PipelineOptions.Resolve<Core.Library.IngestOptions>(settings);
        var search = PipelineOptions.Resolve<Core.Library.ShotSearchOptions>(settings);
        Assert.Equal((1000L, 60.0), (upload.MaxUploadBytes, upload.MaxMusicSeconds));
        Assert.Equal((0.4, 3.0, 2), (ingest.SceneThreshold, ingest.Quality.MinSharpness, ingest.DecodeThreads));
        Assert.Equal((100, 5, 7), (search.EfSearch, search.ExactSearchMaxKeyframes, search.HnswMaxScanTuples));
    }

    [Fact]
    public void The_narrations_pace_still_binds_from_the_narration_section()
    {
        var pace = PipelineOptions.Resolve<Core.Script.NarrationPaceOptions>(new Dictionary<string, string?> { ["Narration:Rate"] = "200", ["Narration:TailSeconds"] = "1" });
        Assert.Equal((200, 1.0), (pace.Rate, pace.TailSeconds));
    }

    [Fact]
    public void The_defaults_with_the_required_secrets_start() => StartUp(new Dictionary<string, string?>());

    [Theory]
    [InlineData("src/VidPress.Api/appsettings.json")]
    [InlineData("src/VidPress.Worker/appsettings.json")]
    public void The_shipped_settings_files_start_once_the_required_secrets_are_given(string file)
    {
        var path = Path.Combine(RepositoryRoot(), file);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(JsonSettings(path)).AddInMemoryCollection(PipelineOptions.Required).Build();
        using var provider = Services(configuration).BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        // And without the secrets they do not: there is no default a deployment could forget to change.
        var bare = new ConfigurationBuilder().AddInMemoryCollection(JsonSettings(path)).Build();
        using var refused = Services(bare).BuildServiceProvider();
        var error = Assert.ThrowsAny<Exception>(() => refused.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Downloads:SigningKey", error.ToString());
        Assert.Contains("Webhooks:Secret", error.ToString());
    }

    /// <summary>
    /// Each options class of the pipeline (those not nested in another's section, like <c>Storage:S3</c>) is checked at
    /// start-up, so a new one cannot be added unchecked.
    /// </summary>
    [Fact]
    public void Every_options_class_is_validated_at_start_up()
    {
        var types = typeof(VidPressServices).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsNested: false } && t.Name.EndsWith("Options", StringComparison.Ordinal) && t.GetConstructor(Type.EmptyTypes) is not null)
            .ToList();
        var nested = types.SelectMany(t => t.GetProperties()).Select(p => p.PropertyType).ToHashSet();
        var services = Services(new ConfigurationBuilder().Build());
        var notValidated = types.Where(t => !nested.Contains(t))
            .Where(t => !services.Any(d => d.ServiceType == typeof(IValidateOptions<>).MakeGenericType(t)))
            .Select(t => t.FullName).ToList();
        Assert.True(types.Count >= 15, $"found only {types.Count} options classes");
        Assert.Empty(notValidated);
    }

    /// <summary>A settings file as the JSON configuration provider reads it: "Section:Key" (arrays "Key:0") to the value.</summary>
    private static Dictionary<string, string?> JsonSettings(string path)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        void Walk(System.Text.Json.JsonElement e, string key)
        {
            switch (e.ValueKind)
            {
                case System.Text.Json.JsonValueKind.Object: foreach (var p in e.EnumerateObject()) Walk(p.Value, key == "" ? p.Name : key + ":" + p.Name); break;
                case System.Text.Json.JsonValueKind.Array: var i = 0; foreach (var item in e.EnumerateArray()) Walk(item, key + ":" + i++); break;
                case System.Text.Json.JsonValueKind.Null: settings[key] = null; break;
                default: settings[key] = e.ValueKind == System.Text.Json.JsonValueKind.String ? e.GetString() : e.GetRawText(); break;
            }
        }
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        Walk(document.RootElement, "");
        return settings;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "VidPressService.sln"))) return folder.FullName;
        throw new DirectoryNotFoundException("VidPressService.sln not found above " + AppContext.BaseDirectory);
    }
}
