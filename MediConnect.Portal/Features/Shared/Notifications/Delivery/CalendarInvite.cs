using System.Globalization;
using System.Text;

namespace MediConnect.Portal.Features.Shared.Notifications.Delivery;

/// <summary>
/// An iCalendar (RFC 5545) invite for a visit: one UID per appointment for its whole life, a
/// SEQUENCE that rises with each change, METHOD:REQUEST for a booking or a move and METHOD:CANCEL
/// for a cancellation, so the patient's calendar updates or removes the same event. The summary
/// names the doctor only, never the reason.
/// </summary>
public static class CalendarInvite
{
    public static string Create(int appointmentId, int sequence, bool cancel, DateTimeOffset start, DateTimeOffset end,
        string doctorName, string link, string uidDomain, string organizer, string attendee, DateTimeOffset stamp)
    {
        var ics = new StringBuilder();
        void Line(string text)
        {
            // Lines longer than 75 octets are folded (RFC 5545 §3.1).
            for (var i = 0; i < text.Length; i += 73)
                ics.Append(i == 0 ? "" : " ").Append(text.AsSpan(i, Math.Min(73, text.Length - i))).Append("\r\n");
        }
        Line("BEGIN:VCALENDAR");
        Line("VERSION:2.0");
        Line("PRODID:-//MediConnect Portal//Visit notices//EN");
        Line("CALSCALE:GREGORIAN");
        Line(cancel ? "METHOD:CANCEL" : "METHOD:REQUEST");
        Line("BEGIN:VEVENT");
        Line($"UID:appointment-{appointmentId}@{uidDomain}");
        Line($"SEQUENCE:{sequence}");
        Line($"DTSTAMP:{Utc(stamp)}");
        Line($"DTSTART:{Utc(start)}");
        Line($"DTEND:{Utc(end)}");
        Line($"SUMMARY:{Escape($"Visit with {doctorName}")}");
        Line($"URL:{link}");
        Line($"ORGANIZER;CN={Escape(doctorName)}:mailto:{organizer}");
        Line($"ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:{attendee}");
        Line(cancel ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
        Line("END:VEVENT");
        Line("END:VCALENDAR");
        return ics.ToString();
    }

    static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(";", "\\;", StringComparison.Ordinal)
            .Replace(",", "\\,", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
