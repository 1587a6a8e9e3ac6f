using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace MediConnect.Portal.Localization;

/// <summary>
/// Which language the portal speaks and which culture formats dates and numbers (<c>DateText</c> writes them). The UI language is
/// <c>en</c> only (the neutral resources); dates, times and numbers follow the browser's
/// Accept-Language among the formatting cultures a clinic's users have. A Blazor circuit keeps the
/// culture of the request that started it.
/// </summary>
public static class PortalCultures
{
    public const string DefaultCulture = "en-US";

    /// <summary>Formatting cultures; the first is the default for a browser that asks for none of them.</summary>
    public static readonly string[] Formatting = [DefaultCulture, "en-GB", "de-DE", "fr-FR", "es-ES", "nl-NL"];

    /// <summary>Languages with resources: add one here with its <c>.resx</c> files (docs/development.md, "Adding a language").</summary>
    public static readonly string[] Languages = ["en"];

    public static IServiceCollection AddPortalLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture(DefaultCulture, Languages[0]);
            options.SupportedCultures = [.. Formatting.Select(CultureInfo.GetCultureInfo)];
            options.SupportedUICultures = [.. Languages.Select(CultureInfo.GetCultureInfo)];
            // Only the browser decides: no query string or cookie can switch it.
            options.RequestCultureProviders = [new AcceptLanguageHeaderRequestCultureProvider()];
        });
        return services;
    }
}
