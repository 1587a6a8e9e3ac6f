using MudBlazor;

namespace MediConnect.Portal.Features.Shared.Vitals;

/// <summary>How a vital-sign flag is shown: words and colour, the same on every page.</summary>
public static class VitalFlagDisplay
{
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
