namespace CallCenter.TestSupport;

/// <summary>Where the repository and its test fixtures are, wherever the tests run from.</summary>
public static class Fixtures
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([RepositoryRoot, "tests", "fixtures", .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CallCenter.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("CallCenter.sln not found above " + AppContext.BaseDirectory);
    }
}
