namespace VidPress.UnitTests;

/// <summary>A clock the test sets and moves by hand.</summary>
internal sealed class SettableClock : TimeProvider
{
    public DateTimeOffset Now { get; set; }
    public override DateTimeOffset GetUtcNow() => Now;
}
