using VidPress.Core.Embeddings;

namespace VidPress.UnitTests.Embeddings;

public sealed class ClipTokenizerTests : IDisposable
{
    private readonly ClipTokenizer _tokenizer = ClipTokenizer.Load(TinyClip.Folder);

    public void Dispose() => _tokenizer.Dispose();

    public static TheoryData<string> ParityTexts => TinyClip.TextCases();

    [Theory]
    [MemberData(nameof(ParityTexts))]
    public void Ids_match_the_reference_tokenizer(string text)
    {
        var expected = TinyClip.Text(text).GetProperty("input_ids").EnumerateArray().Select(v => v.GetUInt32());
        Assert.Equal(expected, _tokenizer.EncodeIds(text));
    }

    [Fact]
    public void Encode_pads_with_the_end_token_and_masks_the_padding()
    {
        var tokens = _tokenizer.Encode("a red circle");

        Assert.Equal(5, tokens.Length);
        Assert.Equal(ClipTokenizer.ContextLength, tokens.InputIds.Length);
        Assert.Equal([620L, 320, 579, 536, 621], tokens.InputIds[..5]);
        Assert.All(tokens.InputIds[5..], id => Assert.Equal(621L, id));
        Assert.All(tokens.AttentionMask[..5], m => Assert.Equal(1L, m));
        Assert.All(tokens.AttentionMask[5..], m => Assert.Equal(0L, m));
    }

    [Fact]
    public void Long_text_is_truncated_to_77_tokens_keeping_the_end_token()
    {
        var text = string.Join(' ', Enumerable.Repeat("a red circle", 60));

        var ids = _tokenizer.EncodeIds(text);
        var tokens = _tokenizer.Encode(text);

        Assert.Equal(ClipTokenizer.ContextLength, ids.Count);
        Assert.Equal(_tokenizer.StartId, ids[0]);
        Assert.Equal(_tokenizer.EndId, ids[^1]);
        Assert.Equal(_tokenizer.EncodeIds("a red circle a red circle").Skip(1).Take(6), ids.Skip(1).Take(6));
        Assert.All(tokens.AttentionMask, m => Assert.Equal(1L, m));
    }

    [Fact]
    public void Empty_text_is_start_and_end()
    {
        Assert.Equal([_tokenizer.StartId, _tokenizer.EndId], _tokenizer.EncodeIds(""));
    }
}
