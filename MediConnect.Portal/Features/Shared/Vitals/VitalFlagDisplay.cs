using MediConnect.Portal.Localization;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace MediConnect.Portal.Features.Shared.Vitals;

/// <summary>How a vital-sign flag is shown: words and colour, the same on every page.</summary>
public static class VitalFlagDisplay
{
    /// <summary>The flag in the reader's language, e.g. "critically high".</summary>
    public static string Text(IStringLocalizer<VitalsText> text, VitalFlag flag) => flag switch
    {
        VitalFlag.Low => text["Flag.Low"],
        VitalFlag.High => text["Flag.High"],
        VitalFlag.CriticalLow => text["Flag.CriticalLow"],
        VitalFlag.CriticalHigh => text["Flag.CriticalHigh"],
        _ => text["Flag.Normal"],
    };

    /// <summary>The flag in English, for the pages not yet translated (the doctor's) and for text that is kept or sent on.</summary>
    public static string Text(VitalFlag flag) => flag switch
    {
        VitalFlag.Low => "low",
        VitalFlag.High => "high",
        VitalFlag.CriticalLow => "critically low",
        VitalFlag.CriticalHigh => "critically high",
        _ => "normal",
    };

    public static Color Color(VitalFlag flag) => flag switch
    {
        VitalFlag.Normal => MudBlazor.Color.Success,
        VitalFlag.Low or VitalFlag.High => MudBlazor.Color.Warning,
        _ => MudBlazor.Color.Error,
    };
}
