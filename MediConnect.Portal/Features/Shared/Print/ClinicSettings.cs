using MediConnect.Portal.Data;

namespace MediConnect.Portal.Features.Shared.Print;

/// <summary>
/// The clinic every printout names in its header: <c>CLINIC_NAME</c>, <c>CLINIC_ADDRESS</c> and
/// <c>CLINIC_PHONE</c>. The name defaults to "MediConnect clinic"; an unset address or phone is left out.
/// </summary>
public sealed record ClinicSettings(string Name, string? Address, string? Phone)
{
    public const string DefaultName = "MediConnect clinic";
    public const int MaxLength = 200;

    public ClinicSettings() : this(DefaultName, null, null) { }

    /// <exception cref="PortalConfigurationException">A setting is longer than <see cref="MaxLength"/> or spans lines.</exception>
    public static ClinicSettings From(IConfiguration config) =>
        new(Read(config, "CLINIC_NAME") ?? DefaultName, Read(config, "CLINIC_ADDRESS"), Read(config, "CLINIC_PHONE"));

    /// <summary>The setting's value trimmed, or null when unset or blank.</summary>
    static string? Read(IConfiguration config, string setting)
    {
        var value = config[setting]?.Trim();
        if (string.IsNullOrEmpty(value))
            return null;
        if (value.Length > MaxLength || value.Any(char.IsControl))
            throw new PortalConfigurationException($"{setting} must be one line of at most 200 characters, but is {value.Length} characters long.");
        return value;
    }
}
