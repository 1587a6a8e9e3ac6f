using System.Globalization;
using Hl7.Fhir.Model;

namespace MediConnect.Portal.Features.Fhir;

/// <summary>Small pieces every mapping uses: numeric ids, people's names, instants.</summary>
public static class FhirIds
{
    /// <summary>The row id in a numeric resource id, or null when <paramref name="id"/> is not one (and so names nothing).</summary>
    public static int? Numeric(string id) =>
        id.Length is > 0 and <= 9 && int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

    public static string Text(int id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>"Dr. Sarah Smith" as a HumanName: prefix Dr., given Sarah, family Smith (the whole text kept as written).</summary>
    public static HumanName Name(string fullName)
    {
        var parts = fullName.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var name = new HumanName { Use = HumanName.NameUse.Official, Text = fullName };
        if (parts.Count > 1 && parts[0].EndsWith('.'))
        {
            name.Prefix = [parts[0]];
            parts.RemoveAt(0);
        }
        if (parts.Count > 0)
        {
            name.Family = parts[^1];
            name.Given = parts.Count > 1 ? parts[..^1] : [];
        }
        return name;
    }

    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    /// <summary>Escapes LIKE wildcards so a searched name matches only itself.</summary>
    public static string LikeEscape(string value) => value.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
}
