namespace MediConnect.Portal.Tests.Features.Shared.Documents;

/// <summary>Small real files of each kind the portal keeps, and some it must refuse.</summary>
static class DocumentSamples
{
    /// <summary>A one-page PDF that says "Outside lab report".</summary>
    public static byte[] Pdf { get; } = System.Text.Encoding.ASCII.GetBytes("""
        %PDF-1.4
        1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
        2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
        3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj
        4 0 obj << /Length 55 >> stream
        BT /F1 18 Tf 20 70 Td (Outside lab report) Tj ET
        endstream endobj
        5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
        trailer << /Root 1 0 R >>
        %%EOF
        """);

    /// <summary>A 1×1 PNG.</summary>
    public static byte[] Png { get; } = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    /// <summary>The start of a JPEG (SOI and an APP0 marker).</summary>
    public static byte[] Jpeg { get; } = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0xFF, 0xD9];

    /// <summary>A web page with a script: what an attacker would like the portal to serve as a "PDF".</summary>
    public static byte[] Html { get; } = "<html><script>fetch('/account/sessions')</script></html>"u8.ToArray();

    public static MemoryStream Stream(byte[] bytes) => new(bytes);
}
