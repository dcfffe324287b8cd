using Hangfire.Common;

namespace VidPress.Core.Jobs;

/// <summary>
/// Jobs already in the queue name their class as it was when they were enqueued. A job class that has moved keeps its
/// old name here, so jobs enqueued by the previous version still run after an upgrade.
/// </summary>
public static class JobTypeNames
{
    private static readonly Dictionary<string, Type> Moved = new(StringComparer.Ordinal)
    {
        ["VidPress.Core.Generation.StillGenerationJob"] = typeof(StillGenerationJob),
    };

    public static Type Resolve(string typeName)
    {
        var name = typeName.Split(',', 2)[0].Trim();
        return Moved.TryGetValue(name, out var type) ? type : TypeHelper.DefaultTypeResolver(typeName);
    }
}
