using Hl7.Fhir.Model;
using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Fhir.Appointments;

/// <summary>
/// <c>Appointment</c>: the appointments of the patients the caller may read (with any doctor, as
/// the chart shows them). Our statuses map to FHIR's: scheduled = pending (the doctor has not
/// confirmed), confirmed = booked, in_progress = arrived, completed = fulfilled, cancelled,
/// no_show = noshow. Times are the clinic's (the server's time zone).
/// </summary>
public sealed class AppointmentResources(NpgsqlDataSource db, TimeProvider time) : IFhirResourceType
{
    sealed record Position(DateTime At, int Id);

    public static readonly IReadOnlyDictionary<string, Appointment.AppointmentStatus> Statuses = new Dictionary<string, Appointment.AppointmentStatus>
    {
        ["scheduled"] = Appointment.AppointmentStatus.Pending,
        ["confirmed"] = Appointment.AppointmentStatus.Booked,
        ["in_progress"] = Appointment.AppointmentStatus.Arrived,
        ["completed"] = Appointment.AppointmentStatus.Fulfilled,
        ["cancelled"] = Appointment.AppointmentStatus.Cancelled,
        ["no_show"] = Appointment.AppointmentStatus.Noshow,
    };

    const string RowsSql = $"""
        SELECT a.id, a.patient_id, pu.name AS patient_name, a.doctor_id, du.name AS doctor_name,
               (a.appointment_date + a.appointment_time) AS starts_at, a.duration_minutes, a.type, a.reason,
               a.status, a.cancellation_reason, a.created_at, a.updated_at
        FROM appointments a
        JOIN users pu ON pu.id = a.patient_id
        JOIN users du ON du.id = a.doctor_id
        WHERE a.patient_id IN ({Security.CareTeam.ReadablePatientsSql})
        """;

    public string Name => "Appointment";
    public bool IsPatientData => true;

    public IReadOnlyList<SearchParameter> SearchParameters { get; } =
    [
        new("patient", SearchParamType.Reference, "The patient (Patient/{id}); several separated by commas."),
        new("practitioner", SearchParamType.Reference, "The doctor (Practitioner/{id}); several separated by commas."),
        new("date", SearchParamType.Date, "When the appointment starts; repeat for a range. Prefixes eq, ge, gt, le, lt, sa, eb."),
        new("status", SearchParamType.Token, "pending, booked, arrived, fulfilled, cancelled or noshow; several separated by commas."),
        new("_sort", SearchParamType.Special, "date (soonest first, the default) or -date."),
    ];

    public async Task<FhirRead?> ReadAsync(string id, PatientAccess access, CancellationToken ct)
    {
        if (FhirIds.Numeric(id) is not { } appointmentId)
            return null;
        var row = await db.QueryOneAsync<AppointmentRow>($"{RowsSql}\n  AND a.id = @appointmentId",
            new { access.ViewerId, access.ReadsSelf, access.ReadsCareTeam, appointmentId }, ct);
        return row is null ? null : new FhirRead(AppointmentMapping.Map(row, time.LocalTimeZone), row.PatientId);
    }

    public async Task<SearchPage> SearchAsync(FhirQuery query, PatientAccess access, CancellationToken ct)
    {
        var count = query.Count;
        var ascending = query.Single("_sort") switch
        {
            null or "date" => true,
            "-date" => false,
            var other => throw FhirException.BadParameter($"_sort={other} is not supported for Appointment: use date or -date."),
        };
        var where = new SqlWhere(access).Page(count);

        var patients = query.References("patient", "Patient");
        if (patients.Count > 0)
            where.And($"a.patient_id = ANY({where.Bind(patients.ToArray())})");
        var doctors = query.References("practitioner", "Practitioner");
        if (doctors.Count > 0)
            where.And($"a.doctor_id = ANY({where.Bind(doctors.ToArray())})");

        var statuses = query.Tokens("status");
        if (statuses.Count > 0)
        {
            var ours = Statuses.Where(s => statuses.Any(t => t.Matches("http://hl7.org/fhir/appointmentstatus", Code(s.Value)))).Select(s => s.Key).ToArray();
            var unknown = statuses.Where(t => !Enum.GetValues<Appointment.AppointmentStatus>().Any(v => Code(v) == t.Code)).Select(t => t.Code).ToList();
            if (unknown.Count > 0)
                throw FhirException.BadParameter($"Unknown appointment status '{unknown[0]}': use pending, booked, arrived, fulfilled, cancelled or noshow.");
            where.And($"a.status = ANY({where.Bind(ours)})");
        }

        var zone = time.LocalTimeZone;
        where.Within("(a.appointment_date + a.appointment_time)", query.Dates("date", zone), d => TimeZoneInfo.ConvertTime(d, zone).DateTime);

        if (FhirCursor.Decode<Position>(query.Cursor) is { } after)
            where.And($"(a.appointment_date + a.appointment_time, a.id) {(ascending ? ">" : "<")} ({where.Bind(after.At)}, {where.Bind(after.Id)})");

        var direction = ascending ? "ASC" : "DESC";
        var sql = $"""
            {RowsSql}
              AND {where}
            ORDER BY a.appointment_date {direction}, a.appointment_time {direction}, a.id {direction}
            LIMIT @limit
            """;
        var rows = await db.QueryListAsync<AppointmentRow>(sql, where.Args, ct);
        return SearchPage.From(rows, count, r => AppointmentMapping.Map(r, zone), r => r.PatientId, r => new Position(r.StartsAt, r.Id));
    }

    static string Code(Appointment.AppointmentStatus status) => Hl7.Fhir.Utility.EnumUtility.GetLiteral(status)!;
}
