using System.Globalization;
using MediConnect.Portal.Localization;
using Microsoft.Extensions.Localization;

namespace MediConnect.Portal.Features.Shared.Notifications.Delivery;

/// <summary>
/// The words of email and SMS notices, from <c>NoticeText.resx</c>, in the recipient's culture (the
/// portal's default while none is stored per user). Only that something is waiting, the visit's
/// date, time and doctor, and a link: never a reason, a reading, a result or a message's text.
/// </summary>
public sealed class NoticeTexts(IStringLocalizer<NoticeText> text)
{
    public static readonly CultureInfo DefaultCulture = CultureInfo.GetCultureInfo(PortalCultures.DefaultCulture);

    /// <summary>Runs <paramref name="render"/> with the notice's culture as the current culture.</summary>
    public static T In<T>(CultureInfo culture, Func<T> render)
    {
        var (before, beforeUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = culture;
        try
        {
            return render();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (before, beforeUi);
        }
    }

    public string this[string key] => text[key];

    public string Format(string key, params object[] values) => text[key, values];

    /// <summary>A visit's date and time at the clinic, as the notice's culture writes it.</summary>
    public string Visit(DateTime clinicTime) => clinicTime.ToString(text["Format.Visit"], CultureInfo.CurrentCulture);

    /// <summary>Title and message of an appointment notice.</summary>
    public (string Title, string Message) Appointment(string kind, string doctorName, DateTime clinicTime) => kind switch
    {
        NoticeKinds.AppointmentBooked => (text["Notice.Booked.Title"], text["Notice.Booked.Message", doctorName, Visit(clinicTime)]),
        NoticeKinds.AppointmentRescheduled => (text["Notice.Rescheduled.Title"], text["Notice.Rescheduled.Message", doctorName, Visit(clinicTime)]),
        NoticeKinds.AppointmentCancelled => (text["Notice.Cancelled.Title"], text["Notice.Cancelled.Message", doctorName, Visit(clinicTime)]),
        _ => (text["Notice.Reminder.Title", doctorName], text["Notice.Reminder.Message", doctorName, Visit(clinicTime)]),
    };

    public (string Title, string Message) NewMessage(string senderName) =>
        (text["Notice.NewMessage.Title"], text["Notice.NewMessage.Message", senderName]);

    public (string Title, string Message) NewResult() => (text["Notice.NewResult.Title"], text["Notice.NewResult.Message"]);

    public (string Title, string Message) CriticalReading() => (text["Notice.Critical.Title"], text["Notice.Critical.Message"]);

    /// <summary>What unsubscribing from <paramref name="kind"/> stops, in words.</summary>
    public string KindName(string kind) => kind switch
    {
        NoticeKinds.AppointmentBooked => text["Kind.appointment_booked"],
        NoticeKinds.AppointmentRescheduled => text["Kind.appointment_rescheduled"],
        NoticeKinds.AppointmentCancelled => text["Kind.appointment_cancelled"],
        NoticeKinds.AppointmentReminder => text["Kind.appointment_reminder"],
        NoticeKinds.NewMessage => text["Kind.new_message"],
        NoticeKinds.NewResult => text["Kind.new_result"],
        _ => text["Kind.critical_reading"],
    };
}
