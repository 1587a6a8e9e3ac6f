using MediConnect.Portal.Security;
using Microsoft.Net.Http.Headers;

namespace MediConnect.Portal.Features.Shared.Documents;

/// <summary>
/// <c>GET /documents/{id}</c> sends a document as an attachment (the browser saves it, never shows
/// it); <c>GET /documents/{id}/preview</c> sends it inline for the page's preview, in a sandbox
/// (<c>Content-Security-Policy: sandbox</c>: no script, no same-origin rights, even if the file
/// tried), framed only by the portal itself. Both from the portal's own origin only
/// (<c>Cross-Origin-Resource-Policy: same-origin</c>), never sniffed (<c>nosniff</c>), never cached.
/// Who may read which document is <see cref="PatientDocuments"/>'s rule.
/// </summary>
public static class DocumentEndpoints
{
    public static string DownloadPath(int id) => $"/documents/{id}";

    public static string PreviewPath(int id) => $"/documents/{id}/preview";

    public const string PreviewPolicy = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'";
    public const string DownloadPolicy = "sandbox; default-src 'none'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapDocuments(this IEndpointRouteBuilder app)
    {
        var documents = app.MapGroup("/documents/{id:int}").RequireAuthorization().ExcludeFromDescription();
        documents.MapGet("", (int id, HttpContext http, PatientDocuments documents, CancellationToken ct) => SendAsync(id, false, http, documents, ct));
        documents.MapGet("/preview", (int id, HttpContext http, PatientDocuments documents, CancellationToken ct) => SendAsync(id, true, http, documents, ct));
        return app;
    }

    static async Task SendAsync(int id, bool preview, HttpContext http, PatientDocuments documents, CancellationToken ct)
    {
        var response = http.Response;
        DocumentFile file;
        try
        {
            file = await documents.DownloadAsync(id, preview, ct);
        }
        catch (AccessDeniedException e)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync(e.Message, ct);
            return;
        }
        var disposition = new ContentDispositionHeaderValue(preview ? "inline" : "attachment");
        disposition.SetHttpFileName(file.Document.FileName);
        response.ContentType = file.Document.ContentType;
        response.ContentLength = file.Document.SizeBytes;
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.ContentSecurityPolicy = preview ? PreviewPolicy : DownloadPolicy;
        response.Headers.XFrameOptions = preview ? "SAMEORIGIN" : "DENY";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Cross-Origin-Resource-Policy"] = "same-origin";
        response.Headers.CacheControl = "private, no-store";
        await file.WriteContentAsync(response.Body, ct);
    }
}
