using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace VidPress.IntegrationTests.Security.Fuzzing;

/// <summary>
/// Collects what the service logs at Error or above (an unhandled exception of a request is logged so), so that a
/// failing request's report names the exception behind a 500; requests are sent one at a time, so what is drained
/// after a request is that request's.
/// </summary>
public sealed class ErrorLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public List<string> Drain()
    {
        var drained = new List<string>();
        while (_entries.TryDequeue(out var entry)) drained.Add(entry);
        return drained;
    }

    public void Dispose() { }

    private sealed class Logger(ErrorLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var innermost = exception;
            while (innermost?.InnerException is not null) innermost = innermost.InnerException;
            var frame = exception?.StackTrace?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("VidPress", StringComparison.Ordinal)) ?? "";
            log._entries.Enqueue(exception is null
                ? $"{category}: {formatter(state, null)}"
                : $"{exception.GetType().Name}{(innermost != exception ? " > " + innermost!.GetType().Name : "")}: {FirstLine(innermost!.Message)} {frame}");
        }

        private static string FirstLine(string s) => s.Split('\n')[0].Trim();
    }
}
