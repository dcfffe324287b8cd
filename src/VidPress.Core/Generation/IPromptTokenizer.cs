namespace VidPress.Core.Generation;

/// <summary>Turns a prompt into token ids including the start and end tokens, without padding or truncation.</summary>
public interface IPromptTokenizer
{
    int[] Encode(string text);
}
