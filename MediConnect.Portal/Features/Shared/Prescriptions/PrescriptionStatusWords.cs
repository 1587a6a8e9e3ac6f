using MediConnect.Portal.Localization;
using Microsoft.Extensions.Localization;

namespace MediConnect.Portal.Features.Shared.Prescriptions;

/// <summary>
/// What a prescription's status means to the patient, in plain words, the same on every page that shows
/// it (home, prescriptions, medication list, after-visit summary, the doctor's printout for the patient):
/// a short label and a sentence on what to do.
/// </summary>
public static class PrescriptionStatusWords
{
    /// <summary>"Not sent yet", "Ready at the pharmacy", "Prepared by the pharmacy", "Collected", "Finished", "Stopped".</summary>
    public static string Label(IStringLocalizer<PatientText> text, string status) => status switch
    {
        "pending" => text["RxStatus.Pending"],
        "active" => text["RxStatus.Active"],
        "filled" => text["RxStatus.Filled"],
        "dispensed" => text["RxStatus.Dispensed"],
        "completed" => text["RxStatus.Completed"],
        "cancelled" => text["RxStatus.Cancelled"],
        _ => status,
    };

    /// <summary>What the status means for the patient: whether to start, collect, keep taking or stop it.</summary>
    public static string Meaning(IStringLocalizer<PatientText> text, string status) => status switch
    {
        "pending" => text["RxStatus.PendingMeaning"],
        "active" => text["RxStatus.ActiveMeaning"],
        "filled" => text["RxStatus.FilledMeaning"],
        "dispensed" => text["RxStatus.DispensedMeaning"],
        "completed" => text["RxStatus.CompletedMeaning"],
        "cancelled" => text["RxStatus.CancelledMeaning"],
        _ => "",
    };

    /// <summary>Label and meaning as one sentence: "Not sent yet: your doctor has written it …".</summary>
    public static string Explained(IStringLocalizer<PatientText> text, string status) =>
        text["RxStatus.Explained", Label(text, status), Meaning(text, status)];

    public static MudBlazor.Color Color(string status) => status switch
    {
        "pending" => MudBlazor.Color.Warning,
        "active" or "filled" or "dispensed" => MudBlazor.Color.Success,
        _ => MudBlazor.Color.Default,
    };
}
