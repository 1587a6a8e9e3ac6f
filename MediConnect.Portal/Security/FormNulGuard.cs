using System.Text;

namespace MediConnect.Portal.Security;

/// <summary>
/// ASP.NET Core cannot read a posted form holding an encoded NUL (<c>%00</c>): the whole form is
/// lost, antiforgery included, and the user gets a bare 400 instead of the page's own message
/// (dotnet/aspnetcore#29420). Plain form posts (the login pages) have each <c>%00</c> turned into
/// <c>%01</c>, another control character, which the field's validation then refuses with its usual
/// message. Interactive forms travel over the circuit and never meet this.
/// </summary>
public static class FormNulGuard
{
    const int MaxFormBytes = 1024 * 1024;

    public static IApplicationBuilder UseFormNulGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (HttpMethods.IsPost(request.Method)
            && request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true
            && request.ContentLength is null or <= MaxFormBytes)
        {
            using var reader = new StreamReader(request.Body, Encoding.Latin1);
            // Latin-1 maps every byte to one character and back, so nothing else in the body changes.
            var form = await reader.ReadToEndAsync(context.RequestAborted);
            var body = Encoding.Latin1.GetBytes(form.Replace("%00", "%01", StringComparison.Ordinal));
            request.Body = new MemoryStream(body);
            request.ContentLength = body.Length;
        }
        await next(context);
    });
}
