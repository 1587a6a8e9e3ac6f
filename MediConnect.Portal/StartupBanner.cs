using MediConnect.Portal.Data;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MediConnect.Portal;

/// <summary>
/// The last lines start-up prints, after the migrations and the hosting lines, set apart: where
/// the portal answers, where its log files go (an absolute folder: a relative log path follows the
/// working folder, which <c>dotnet run</c> makes the project's), and for the zero-setup demo how
/// to sign in and where the demo data is kept. Written to the console only: it is for whoever
/// started the portal, and the log file has its own lines.
/// </summary>
public static class StartupBanner
{
    /// <summary>Prints the banner once the portal listens (after the host's own "Application started" lines).</summary>
    public static void PrintWhenStarted(WebApplication app, TextWriter output)
    {
        var zeroSetup = app.Services.GetService<ZeroSetupDatabase>();
        var logFolder = LogFolder(app.Configuration);
        // Callbacks run newest first: registered before the host registers its own, this one runs after them.
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            output.Write(Text(addresses, zeroSetup?.Directory, logFolder));
            output.Flush();
        });
    }

    internal static string Text(IEnumerable<string> addresses, string? demoDataFolder, string? logFolder)
    {
        var rule = new string('=', 72);
        var lines = new List<string> { "", rule, $"  MediConnect Portal is running: {string.Join("  ", addresses.Select(Browsable))}" };
        if (demoDataFolder is not null)
        {
            lines.Add("  Demo sign-in:  admin@mediconnect.demo / Demo2024!Admin (doctor and patient accounts on the sign-in page)");
            lines.Add($"  Demo data:     {demoDataFolder} (stop the portal and delete it to reset)");
        }
        if (logFolder is not null)
            lines.Add($"  Log files:     {logFolder}");
        lines.Add("  Stop with Ctrl+C.");
        lines.Add(rule);
        lines.Add("");
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }

    /// <summary><c>http://[::]:8080</c> or <c>http://+:8080</c> as an address a browser on this machine opens.</summary>
    static string Browsable(string address)
    {
        foreach (var wildcard in new[] { "://[::]:", "://+:", "://*:", "://0.0.0.0:" })
            if (address.Contains(wildcard, StringComparison.Ordinal))
                return address.Replace(wildcard, "://localhost:", StringComparison.Ordinal);
        return address;
    }

    /// <summary>The absolute folder of the Serilog file sink's path (relative paths follow the working folder), or null without one.</summary>
    internal static string? LogFolder(IConfiguration config)
    {
        var path = config.GetSection("Serilog:WriteTo").GetChildren()
            .FirstOrDefault(sink => string.Equals(sink["Name"], "File", StringComparison.OrdinalIgnoreCase))?["Args:path"];
        if (string.IsNullOrWhiteSpace(path))
            return null;
        var folder = Path.GetDirectoryName(path);
        return Path.GetFullPath(string.IsNullOrEmpty(folder) ? "." : folder);
    }
}
