namespace MediConnect.Portal.Benchmarks;

/// <summary><c>--name value</c> pairs after the command.</summary>
public sealed class Options(IReadOnlyDictionary<string, string> values)
{
    public static Options Parse(IEnumerable<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string? name = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
                values[name = arg[2..]] = "true";
            else if (name is not null)
                values[name] = arg;
        }
        return new Options(values);
    }

    public string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);

    public string Required(string name) =>
        values.GetValueOrDefault(name) ?? throw new ArgumentException($"--{name} is required");
}
