namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>Files of the repository itself (ops/ scripts, sample configurations), found above the test binaries.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MediConnect.Portal.sln")))
                return folder.FullName;
        }
        throw new InvalidOperationException("MediConnect.Portal.sln not found above the test binaries");
    }
}
