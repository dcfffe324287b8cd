namespace VidPress.Testing;

/// <summary>Finds files of this repository (models, fixtures) from the test's bin folder.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "VidPressService.sln"))) return dir.FullName;
        throw new InvalidOperationException("VidPressService.sln not found above " + AppContext.BaseDirectory);
    }
}
