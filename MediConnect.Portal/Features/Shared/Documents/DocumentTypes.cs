namespace MediConnect.Portal.Features.Shared.Documents;

/// <summary>
/// The kinds of document the portal keeps, told apart by their first bytes (the "magic bytes"),
/// never by the file name or the type the browser claims. The database checks the same bytes
/// (<c>patient_documents_content_type_check</c>).
/// </summary>
public static class DocumentTypes
{
    public const string Pdf = "application/pdf";
    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";

    static readonly (string Type, byte[] Magic)[] Signatures =
    [
        (Pdf, "%PDF-"u8.ToArray()),
        (Png, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        (Jpeg, [0xFF, 0xD8, 0xFF]),
    ];

    /// <summary>The content type <paramref name="content"/> starts like, or null when it is none of the three.</summary>
    public static string? Sniff(ReadOnlySpan<byte> content)
    {
        foreach (var (type, magic) in Signatures)
            if (content.StartsWith(magic))
                return type;
        return null;
    }

    public static bool IsImage(string contentType) => contentType is Png or Jpeg;

    /// <summary>"PDF", "PNG image", "JPEG image".</summary>
    public static string Label(string contentType) => contentType switch
    {
        Pdf => "PDF",
        Png => "PNG image",
        Jpeg => "JPEG image",
        _ => "file",
    };

    /// <summary>1.2 MB, 340 KB, 12 bytes.</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= DocumentSettings.Megabyte => $"{bytes / (double)DocumentSettings.Megabyte:0.#} MB",
        >= 1024 => $"{bytes / 1024.0:0} KB",
        _ => $"{bytes} bytes",
    };
}
