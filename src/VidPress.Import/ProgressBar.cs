namespace VidPress.Import;

/// <summary>
/// A one-line progress bar (bytes sent, files done) redrawn in place on a terminal, with log lines printed above it;
/// without a terminal (a log file) only the log lines and the last state are written.
/// </summary>
public sealed class ProgressBar(long totalBytes, int totalFiles, TextWriter output, bool interactive)
{
    private readonly object _gate = new();
    private long _bytes;
    private int _files;
    private DateTime _lastDraw;
    private readonly bool _interactive = interactive;

    public void Advance(long bytes)
    {
        lock (_gate)
        {
            _bytes += bytes;
            if (DateTime.UtcNow - _lastDraw > TimeSpan.FromMilliseconds(100)) Draw();
        }
    }

    public void FileDone()
    {
        lock (_gate) { _files++; Draw(); }
    }

    public void Log(string line)
    {
        lock (_gate)
        {
            if (_interactive) output.Write("\r\x1b[K");
            output.WriteLine(line);
            Draw();
        }
    }

    public void Finish()
    {
        lock (_gate)
        {
            if (_interactive) { Draw(); output.WriteLine(); }
            else output.WriteLine(Line());
        }
    }

    private void Draw()
    {
        _lastDraw = DateTime.UtcNow;
        if (!_interactive) return;
        output.Write("\r\x1b[K" + Line());
    }

    private string Line()
    {
        const int width = 30;
        var fraction = totalBytes == 0 ? 1 : Math.Min(1, (double)_bytes / totalBytes);
        var filled = (int)(fraction * width);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('.', width - filled)}] {fraction * 100:0}%  {_files}/{totalFiles} files  {_bytes / 1048576.0:0.0}/{totalBytes / 1048576.0:0.0} MB");
    }
}

/// <summary>Reports bytes as the HTTP client reads them from the file.</summary>
public sealed class ProgressStream(Stream inner, Action<long> onRead) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => inner.Position = value; }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) { var n = inner.Read(buffer, offset, count); onRead(n); return n; }
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        onRead(n);
        return n;
    }
    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
