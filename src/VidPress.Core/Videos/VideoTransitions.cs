using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore.Query;
using VidPress.Core.Data;

namespace VidPress.Core.Videos;

/// <summary>
/// One change of a video's state: the condition the row must meet (<see cref="Guard"/>) and the fields it sets,
/// each computed from the row as it was (SQL UPDATE semantics). The same definition is applied as one conditional
/// UPDATE in the database (<see cref="AddTo"/>) and to an entity in memory (<see cref="TryApply"/>) — under a row
/// lock, and in the unit tests that hold the transition table — so the rules cannot drift apart.
/// </summary>
public sealed class VideoTransition
{
    private readonly Lazy<Func<Video, bool>> _guard;

    internal VideoTransition(string name, Expression<Func<Video, bool>> guard, IReadOnlyList<IVideoAssignment> assignments)
    {
        Name = name;
        Guard = guard;
        Assignments = assignments;
        // Compiled only when applied in memory; the database path sends the expression as SQL.
        _guard = new Lazy<Func<Video, bool>>(guard.Compile);
    }

    public string Name { get; }
    public Expression<Func<Video, bool>> Guard { get; }
    public IReadOnlyList<IVideoAssignment> Assignments { get; }

    public bool Allows(Video video) => _guard.Value(video);

    /// <summary>Applies the transition to <paramref name="video"/> if its guard holds; every value is read before any is written.</summary>
    public bool TryApply(Video video)
    {
        if (!Allows(video)) return false;
        var writes = Assignments.Select(a => a.Evaluate(video)).ToList();
        foreach (var write in writes) write();
        return true;
    }

    /// <summary>The transition's assignments as the setters of an EF Core <c>ExecuteUpdate</c>.</summary>
    public void AddTo(UpdateSettersBuilder<Video> setters)
    {
        foreach (var assignment in Assignments) assignment.AddTo(setters);
    }

    public override string ToString() => Name;
}

/// <summary>One field a transition sets, as an expression over the row before the change.</summary>
public interface IVideoAssignment
{
    string Property { get; }
    /// <summary>Reads the new value from the row as it is now, and returns the write that stores it.</summary>
    Action Evaluate(Video video);
    void AddTo(UpdateSettersBuilder<Video> setters);
}

internal sealed class VideoAssignment<T> : IVideoAssignment
{
    private readonly Expression<Func<Video, T>> _property;
    private readonly Expression<Func<Video, T>>? _value;
    private readonly T _constant = default!;
    private readonly Lazy<Func<Video, T>> _compiled;
    private readonly PropertyInfo _info;

    /// <summary>A value computed from the row.</summary>
    public VideoAssignment(Expression<Func<Video, T>> property, Expression<Func<Video, T>> value)
    {
        _property = property;
        _value = value;
        _compiled = new Lazy<Func<Video, T>>(value.Compile);
        _info = PropertyOf(property);
    }

    /// <summary>A constant, sent to the database as a parameter.</summary>
    public VideoAssignment(Expression<Func<Video, T>> property, T constant)
    {
        _property = property;
        _constant = constant;
        _compiled = new Lazy<Func<Video, T>>(() => _ => constant);
        _info = PropertyOf(property);
    }

    private static PropertyInfo PropertyOf(Expression<Func<Video, T>> property) =>
        property.Body is MemberExpression { Member: PropertyInfo info } ? info
            : throw new ArgumentException("An assignment sets one property of the video.", nameof(property));

    public string Property => _info.Name;

    public Action Evaluate(Video video)
    {
        var value = _compiled.Value(video);
        return () => _info.SetValue(video, value);
    }

    public void AddTo(UpdateSettersBuilder<Video> setters)
    {
        if (_value is null) setters.SetProperty(_property, _constant);
        else setters.SetProperty(_property, _value);
    }
}

/// <summary>Builds a transition field by field.</summary>
internal sealed class VideoTransitionBuilder(string name, Expression<Func<Video, bool>> guard)
{
    private readonly List<IVideoAssignment> _assignments = [];

    public VideoTransitionBuilder Set<T>(Expression<Func<Video, T>> property, Expression<Func<Video, T>> value)
    {
        _assignments.Add(new VideoAssignment<T>(property, value));
        return this;
    }

    public VideoTransitionBuilder Set<T>(Expression<Func<Video, T>> property, T value)
    {
        _assignments.Add(new VideoAssignment<T>(property, value));
        return this;
    }

    public VideoTransition Build() => new(name, guard, _assignments);
}
