using System.Globalization;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>Texts as the portal writes them for the test browser (en-US, Chromium's default language).</summary>
public static class BrowserText
{
    public static string Of(Func<string> text)
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en-US");
        try
        {
            return text();
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }
}
