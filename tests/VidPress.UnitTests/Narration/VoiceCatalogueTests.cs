using Microsoft.Extensions.Options;
using VidPress.Core;
using VidPress.Core.Narration;

namespace VidPress.UnitTests.Narration;

/// <summary>How the engines' listings are read, and which voice narrates: request, tenant default, deployment default.</summary>
public sealed class VoiceCatalogueTests
{
    // Lines as espeak-ng 1.51 (Debian 12) prints them for `--voices`.
    private const string EspeakListing = """
        Pty Language       Age/Gender VoiceName          File                 Other Languages
         5  af              --/M      Afrikaans          gmw/af
         2  en-gb           --/M      English_(Great_Britain) gmw/en               (en 2)
         3  en-uk           --/M      english-mb-en1     mb/mb-en1            (en-gb 3)(en 2)
         2  en-us           --/M      English_(America)  gmw/en-US            (en 3)
         5  cmn             --/M      Chinese_(Mandarin,_latin_as_English) sit/cmn              (zh-cmn 5)(zh 5)
         5  yue             --/M      Chinese_(Cantonese) sit/yue              (zh-yue 5)(zh 8)
         5  zh              --/M      chinese-mb-cn1     mb/mb-cn1
        """;

    // What `festival --batch '(mapcar … (voice.list))'` prints with festvox-us-slt-hts and festvox-ca-ona-hts installed.
    private const string FestivalListing = """
        (cmu_us_slt_arctic_hts (cmu_us_slt_arctic_hts ((language english) (gender female) (dialect american) (description "This voice provides an American English female voice using
             HTS."))))
        (upc_ca_ona_hts (upc_ca_ona_hts ((language catalan) (gender female) (dialect central) (description "Catalan female voice"))))
        (kal_diphone (kal_diphone ((language english) (gender male) (dialect american) (description "American English male."))))
        """;

    [Fact]
    public void Espeak_lists_its_english_and_mandarin_voices_without_mbrola()
    {
        var voices = EspeakEngine.ParseVoices(EspeakListing);
        Assert.Equal(["espeak:en-gb", "espeak:en-us", "espeak:cmn"], voices.Select(v => v.Id));
        Assert.Equal(["en", "en", "zh"], voices.Select(v => v.Language));
        Assert.All(voices, v => Assert.Equal("male", v.Gender));
        Assert.Equal("en-us", voices[1].EngineVoice);
    }

    [Fact]
    public void Festival_lists_its_english_voices_with_gender_and_leaves_other_languages_out()
    {
        var voices = FestivalEngine.ParseVoices(FestivalListing);
        Assert.Equal(["festival:cmu_us_slt_arctic_hts", "festival:kal_diphone"], voices.Select(v => v.Id));
        Assert.Equal(["female", "male"], voices.Select(v => v.Gender));
        Assert.All(voices, v => Assert.Equal("en", v.Language));
        Assert.Contains("american english female", voices[0].Name);
    }

    private sealed class ListedEngine(string name, params Voice[] voices) : ISpeechEngine
    {
        public string Name => name;
        public Task<IReadOnlyList<Voice>> ListVoicesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<Voice>>(voices);
        public Task<WaveFile> SpeakAsync(string text, Voice voice, double rate, string scratchPurpose, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private static readonly Voice EnUs = new("espeak:en-us", "espeak", "en", "male", "e"), Cmn = new("espeak:cmn", "espeak", "zh", "male", "c"),
        Slt = new("festival:cmu_us_slt_arctic_hts", "festival", "en", "female", "s");

    private static VoiceCatalogue Catalogue(bool festival = true) => new(
        festival ? [new ListedEngine("espeak", EnUs, Cmn), new ListedEngine("festival", Slt)] : [new ListedEngine("espeak", EnUs, Cmn)],
        Options.Create(new Core.Narration.NarrationOptions()));

    [Theory]
    [InlineData(null, null, "en", "espeak:en-us")]                                          // the deployment's voice for the language
    [InlineData(null, "festival:cmu_us_slt_arctic_hts", "en", "festival:cmu_us_slt_arctic_hts")] // the tenant's default
    [InlineData(null, "festival:cmu_us_slt_arctic_hts", "zh", "espeak:cmn")]                // a tenant default of another language is passed over
    [InlineData(null, "festival:gone", "en", "espeak:en-us")]                               // … and one no longer installed
    [InlineData("festival:cmu_us_slt_arctic_hts", "espeak:en-gb", "en", "festival:cmu_us_slt_arctic_hts")] // the request first
    public async Task The_request_then_the_tenant_then_the_deployment_choose(string? requested, string? tenant, string language, string expected) =>
        Assert.Equal(expected, (await Catalogue().ChooseAsync(requested, tenant, language, CancellationToken.None)).Id);

    [Fact]
    public async Task A_requested_voice_of_another_language_or_not_installed_is_the_callers_error_naming_the_valid_ones()
    {
        var mismatch = await Assert.ThrowsAsync<VideoInputException>(() => Catalogue().ChooseAsync("espeak:cmn", null, "en", CancellationToken.None));
        Assert.Contains("reads 'zh'", mismatch.Message);
        Assert.Contains("espeak:en-us, festival:cmu_us_slt_arctic_hts", mismatch.Message);
        var missing = await Assert.ThrowsAsync<VideoInputException>(() => Catalogue(festival: false).ChooseAsync(Slt.Id, null, "en", CancellationToken.None));
        Assert.Contains("No voice 'festival:cmu_us_slt_arctic_hts'", missing.Message);
        Assert.Contains("espeak:en-us", missing.Message);
        Assert.DoesNotContain("espeak:cmn", missing.Message);
    }
}
