using System.Text;
using System.Text.Json;

namespace MediConnect.Portal.Features.Fhir;

/// <summary>
/// The <c>_cursor</c> of a <c>next</c> link: the sort key of the last row served (keyset paging),
/// so a page is one indexed range read however deep it is. Opaque to clients; it carries no
/// access: every page runs the caller's access rules again.
/// </summary>
public static class FhirCursor
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Encode<T>(T position) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(position, Json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The position in <paramref name="cursor"/>, or default when there is none.</summary>
    /// <exception cref="FhirException">400: the cursor was not made by this server for this search.</exception>
    public static T? Decode<T>(string? cursor) where T : class
    {
        if (cursor is null)
            return null;
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            var bytes = Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '='));
            return JsonSerializer.Deserialize<T>(Encoding.UTF8.GetString(bytes), Json) ?? throw new JsonException();
        }
        catch (Exception e) when (e is FormatException or JsonException or NotSupportedException or ArgumentException)
        {
            throw FhirException.BadParameter("_cursor is not valid for this search: follow the 'next' link as given.");
        }
    }
}
