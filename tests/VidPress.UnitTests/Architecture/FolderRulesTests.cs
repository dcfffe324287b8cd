using System.Reflection;
using System.Reflection.Emit;
using VidPress.Core;

namespace VidPress.UnitTests.Architecture;

/// <summary>
/// The rules of docs/architecture.md, "Which folder may use which", read off the compiled VidPress.Core: every type
/// another type names in its base types, fields, properties, signatures, locals, attributes and method bodies (the IL's
/// type, method and field tokens, lambdas and async state machines counted as their declaring type's). A folder is the
/// namespace under VidPress.Core (VidPress.Core.Music is the shared Music folder). Constants are inlined by the
/// compiler and <c>nameof</c> leaves a string, so neither counts: they are no dependency of the running code.
/// </summary>
public sealed class FolderRulesTests
{
    /// <summary>The stages in the order a video goes through them; a stage may use the documents of those before it.</summary>
    private static readonly string[] Stages = ["Articles", "Script", "Narration", "Library", "Timeline", "Generation", "Rendering", "Delivery"];

    /// <summary>Services every stage may use. Music is the beat tracker, used at upload and at timeline build.</summary>
    private static readonly string[] Shared = ["Media", "Network", "Embeddings", "Music", "Telemetry"];

    /// <summary>The stage types that use Data: the services that own its queries (docs/architecture.md lists them).</summary>
    private static readonly string[] QueryOwners =
    [
        "VidPress.Core.Library.ShotSearch", // shots for a sentence (pgvector + full text)
        "VidPress.Core.Library.LibraryIngest", // an upload's shots, keyframes and thumbnails
        "VidPress.Core.Library.MusicLibrary", // music beds: add, pick, find
        "VidPress.Core.Library.ShotRetrieval", // what ingest measured of each candidate's keyframes and asset
        "VidPress.Core.Library.LicencePolicy", // the filters that say which assets, shots and keyframes may be shown
        "VidPress.Core.Delivery.WebhookSender", // a video's outcome and its delivery rows
        "VidPress.Core.Delivery.WebhookEvents", // no query: names the event a video's status (a Data enum) is told by
    ];

    /// <summary>Types of other folders that <c>Videos</c> may use besides Data and what Data's rows carry: input errors.</summary>
    private static readonly string[] InputErrors = ["VidPress.Core.VideoInputException", "VidPress.Core.Media.MediaRejectedException"];

    /// <summary>
    /// Known exceptions, each with its reason. Keep it empty: an entry is a debt to pay, removed once the code no longer
    /// needs it (the test does not fail on a stale entry).
    /// </summary>
    private static readonly (string From, string To, string Why)[] Allowed =
    [
        // None today: a dependency against the rules is fixed, not listed. An entry names the type, the folder it uses and why.
    ];

    private static readonly Assembly Core = typeof(VidPressServices).Assembly;

    [Fact]
    public void Core_references_neither_host()
    {
        var hosts = Core.GetReferencedAssemblies().Select(a => a.Name).Where(n => n is "VidPress.Api" or "VidPress.Worker").ToList();
        Assert.Empty(hosts);
    }

    [Fact]
    public void Only_jobs_and_the_composition_root_use_jobs() =>
        AssertNone(Uses().Where(u => u.To == "Jobs" && u.From is not ("Jobs" or "")), "only Core/Jobs conducts the stages; nothing else enqueues a video's work");

    [Fact]
    public void No_folder_uses_the_composition_root() =>
        AssertNone(Uses().Where(u => u.ToType == typeof(VidPressServices).FullName && u.From != ""), "VidPressServices composes the folders; none of them calls back into it");

    [Fact]
    public void Videos_uses_only_data_and_what_its_rows_carry()
    {
        var carried = DocumentsOfData();
        AssertNone(Uses().Where(u => u.From == "Videos" && u.To is not ("Videos" or "Data") && !carried.Contains(u.ToType) && !InputErrors.Contains(u.ToType)),
            "Core/Videos → Data only (and the stage documents its rows carry)");
    }

    [Fact]
    public void Tenants_uses_only_data() =>
        AssertNone(Uses().Where(u => u.From == "Tenants" && u.To is not ("Tenants" or "Data" or "")), "Core/Tenants → Data only");

    [Fact]
    public void Data_depends_only_on_the_stage_documents()
    {
        // A document is a record or an enum: what a stage returns and a row stores, never a service.
        AssertNone(Uses().Where(u => u.From == "Data" && u.To is not ("Data" or "") && !IsDocument(u.ToType)),
            "Core/Data depends on the stage documents (records and enums) only");
    }

    [Fact]
    public void Shared_services_use_no_stage_and_nothing_above_them() =>
        AssertNone(Uses().Where(u => Shared.Contains(u.From) && u.To != "" && !Shared.Contains(u.To)),
            "Media, Network, Embeddings (and Music) use only each other");

    [Fact]
    public void A_stage_uses_shared_services_the_query_owners_and_the_stages_before_it()
    {
        var violations = Uses().Where(u => Stages.Contains(u.From) && u.To != u.From).Where(u =>
        {
            if (u.To == "" || Shared.Contains(u.To)) return false;
            if (u.To == "Data") return !QueryOwners.Contains(u.FromType);
            if (Stages.Contains(u.To) && Array.IndexOf(Stages, u.To) < Array.IndexOf(Stages, u.From)) return false;
            return !Allowed.Any(a => a.From == u.FromType && a.To == u.To);
        });
        AssertNone(violations, "a stage → shared services, Data through the query owners, the documents of the stages before it; never Jobs, Videos, Tenants or a later stage");
    }

    [Fact]
    public void The_stage_folders_have_no_cycles()
    {
        var edges = Uses().Where(u => Stages.Contains(u.From) && Stages.Contains(u.To) && u.From != u.To)
            .Where(u => !Allowed.Any(a => a.From == u.FromType && a.To == u.To))
            .Select(u => (u.From, u.To)).Distinct().ToList();
        var cycles = edges.Where(e => Reaches(edges, e.To, e.From)).Select(e => $"{e.From} → {e.To} → … → {e.From}").ToList();
        Assert.True(cycles.Count == 0, "Cycles between stage folders:\n" + string.Join("\n", cycles));
    }

    [Fact]
    public void The_reader_sees_a_reference_made_only_inside_a_method_body()
    {
        // The rules are only as good as what Uses finds: a type named nowhere but in IL (here, a lambda's call) counts.
        var uses = UsesOf(typeof(Probe)).Select(t => t.FullName).ToList();
        Assert.Contains(typeof(VideoInputException).FullName, uses);
    }

    private static class Probe
    {
        public static Func<object> Make() => () => new VideoInputException("probe");
    }

    private static bool Reaches(IReadOnlyList<(string From, string To)> edges, string from, string to)
    {
        var seen = new HashSet<string>();
        var queue = new Queue<string>([from]);
        while (queue.TryDequeue(out var at))
        {
            if (at == to) return true;
            if (seen.Add(at)) foreach (var next in edges.Where(e => e.From == at)) queue.Enqueue(next.To);
        }
        return false;
    }

    private static void AssertNone(IEnumerable<Use> violations, string rule)
    {
        var lines = violations.Select(v => $"{v.FromType} uses {v.ToType}").Distinct().Order().ToList();
        Assert.True(lines.Count == 0, $"Rule broken: {rule}.\n" + string.Join("\n", lines));
    }

    private static bool IsDocument(string typeName)
    {
        var type = Core.GetType(typeName.Replace('/', '+'));
        return type is not null && (type.IsEnum || type.GetMethod("<Clone>$") is not null || (type.IsValueType && type.GetMethod("PrintMembers", BindingFlags.NonPublic | BindingFlags.Instance) is not null));
    }

    /// <summary>The types of other folders Data's own types use: the stage documents its rows carry.</summary>
    private static HashSet<string> DocumentsOfData() => Uses().Where(u => u.From == "Data" && u.To != "Data").Select(u => u.ToType).ToHashSet();

    private sealed record Use(string FromType, string From, string ToType, string To);

    private static List<Use>? _uses;

    /// <summary>Every (top-level type, Core type it uses) pair of VidPress.Core.</summary>
    private static List<Use> Uses()
    {
        if (_uses is not null) return _uses;
        var uses = new List<Use>();
        foreach (var type in Core.GetTypes().Where(t => !t.IsNested && t.Namespace is not null))
        {
            var from = Outermost(type);
            foreach (var used in UsesOf(type).Select(Outermost).Distinct())
                if (used != from && FolderOf(used) is { } to) uses.Add(new Use(from.FullName!, FolderOf(from)!, used.FullName!, to));
        }
        return _uses = uses;
    }

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is not null) type = type.DeclaringType;
        return type.IsGenericType ? type.GetGenericTypeDefinition() : type;
    }

    /// <summary>The folder of a VidPress.Core type: "" for the root namespace; null for other assemblies.</summary>
    private static string? FolderOf(Type type)
    {
        if (type.Assembly != Core || type.Namespace is null || !type.Namespace.StartsWith("VidPress.Core", StringComparison.Ordinal)) return null;
        var rest = type.Namespace.Length == "VidPress.Core".Length ? "" : type.Namespace["VidPress.Core.".Length..];
        return rest.Split('.')[0];
    }

    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>The Core types <paramref name="type"/> and the types nested in it name anywhere.</summary>
    private static HashSet<Type> UsesOf(Type type)
    {
        var found = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null || t.IsGenericParameter) return;
            if (t.HasElementType) { Add(t.GetElementType()); return; }
            if (t.IsGenericType && !t.IsGenericTypeDefinition)
            {
                foreach (var argument in t.GetGenericArguments()) Add(argument);
                Add(t.GetGenericTypeDefinition());
                return;
            }
            if (t.Assembly == Core) found.Add(t);
        }
        void AddMember(MemberInfo? member)
        {
            switch (member)
            {
                case Type t: Add(t); break;
                case FieldInfo f: Add(f.DeclaringType); Add(f.FieldType); break;
                case MethodBase m:
                    Add(m.DeclaringType);
                    if (m is MethodInfo mi) { Add(mi.ReturnType); if (mi.IsGenericMethod) foreach (var a in mi.GetGenericArguments()) Add(a); }
                    foreach (var p in m.GetParameters()) Add(p.ParameterType);
                    break;
            }
        }
        foreach (var t in new[] { type }.Concat(AllNested(type)))
        {
            Add(t.BaseType);
            foreach (var i in t.GetInterfaces()) Add(i);
            foreach (var a in t.GetCustomAttributesData()) Add(a.AttributeType);
            foreach (var f in t.GetFields(Declared)) { Add(f.FieldType); foreach (var a in f.GetCustomAttributesData()) Add(a.AttributeType); }
            foreach (var p in t.GetProperties(Declared)) { Add(p.PropertyType); foreach (var a in p.GetCustomAttributesData()) Add(a.AttributeType); }
            foreach (var e in t.GetEvents(Declared)) Add(e.EventHandlerType);
            foreach (var m in t.GetMethods(Declared).Cast<MethodBase>().Concat(t.GetConstructors(Declared)))
            {
                AddMember(m);
                foreach (var a in m.GetCustomAttributesData()) Add(a.AttributeType);
                var body = m.GetMethodBody();
                if (body is null) continue;
                foreach (var local in body.LocalVariables) Add(local.LocalType);
                foreach (var token in Tokens(body.GetILAsByteArray() ?? []))
                    AddMember(Resolve(m, token));
            }
        }
        return found;
    }

    private static IEnumerable<Type> AllNested(Type type) =>
        type.GetNestedTypes(Declared).SelectMany(n => new[] { n }.Concat(AllNested(n)));

    private static MemberInfo? Resolve(MethodBase method, int token)
    {
        var typeArguments = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        return method.Module.ResolveMember(token, typeArguments, methodArguments);
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>The member and type tokens of a method body's IL.</summary>
    private static IEnumerable<int> Tokens(byte[] il)
    {
        for (var i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            var op = OpCodesByValue[value];
            switch (op.OperandType)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineType or OperandType.InlineTok:
                    yield return BitConverter.ToInt32(il, i);
                    i += 4;
                    break;
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar: i += 1; break;
                case OperandType.InlineVar: i += 2; break;
                case OperandType.InlineI8 or OperandType.InlineR: i += 8; break;
                case OperandType.InlineSwitch: i += 4 + 4 * BitConverter.ToInt32(il, i); break;
                default: i += 4; break; // InlineBrTarget, InlineI, InlineSig, InlineString, ShortInlineR
            }
        }
    }
}
