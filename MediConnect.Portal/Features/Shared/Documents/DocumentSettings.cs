using MediConnect.Portal.Data;

namespace MediConnect.Portal.Features.Shared.Documents;

/// <summary>The largest document a patient or doctor may upload (<c>DOCUMENT_MAX_MB</c>, 20; 1 to 100, the database's own ceiling).</summary>
public sealed record DocumentSettings(long MaxBytes)
{
    public DocumentSettings() : this(20 * Megabyte) { }

    public const long Megabyte = 1024 * 1024;

    /// <exception cref="PortalConfigurationException">DOCUMENT_MAX_MB is malformed or out of range.</exception>
    public static DocumentSettings From(IConfiguration config) =>
        new(DatabaseSettings.ReadInt(config, "DOCUMENT_MAX_MB", 20, 1, 100) * Megabyte);

    /// <summary>The limit as people read it: "20 MB".</summary>
    public string MaxText => $"{MaxBytes / Megabyte} MB";
}
