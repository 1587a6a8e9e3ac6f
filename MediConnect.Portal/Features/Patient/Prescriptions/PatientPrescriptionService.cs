using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Messages;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Patient.Prescriptions;

public sealed record PatientPrescription(
    int Id,
    int DoctorId,
    string DoctorName,
    string Medication,
    string Dosage,
    string Frequency,
    string? Duration,
    int? Quantity,
    int Refills,
    string? Pharmacy,
    string Status,
    string? Instructions,
    DateOnly PrescribedDate,
    DateOnly? ExpirationDate);

/// <summary>Current prescriptions (active, filled, dispensed or pending, not expired) and the rest as history.</summary>
public sealed record MyPrescriptions(IReadOnlyList<PatientPrescription> Current, IReadOnlyList<PatientPrescription> History);

/// <summary>The signed-in patient's prescriptions and refill requests (a message to the prescribing doctor).</summary>
public sealed class PatientPrescriptionService(NpgsqlDataSource db, ICurrentUser currentUser, AuditLog audit, TimeProvider time)
{
    static readonly string[] CurrentStatuses = ["active", "filled", "dispensed", "pending"];
    static readonly string[] RefillableStatuses = ["active", "filled", "dispensed"];

    /// <summary>The patient's note on a refill request (the message around it stays within the message limit).</summary>
    public static readonly TextField RefillNote = new("The note", 2000, TextKind.Lines);

    const string MineSql = """
        SELECT rx.id, rx.doctor_id, d.name AS doctor_name, rx.medication, rx.dosage, rx.frequency, rx.duration,
               rx.quantity, rx.refills, rx.pharmacy, rx.status, rx.instructions, rx.prescribed_date, rx.expiration_date
        FROM prescriptions rx
        JOIN users d ON d.id = rx.doctor_id
        WHERE rx.patient_id = @patientId
        ORDER BY rx.prescribed_date DESC, rx.id DESC
        """;

    const string OneSql = """
        SELECT rx.id, rx.doctor_id, d.name AS doctor_name, rx.medication, rx.dosage, rx.frequency, rx.duration,
               rx.quantity, rx.refills, rx.pharmacy, rx.status, rx.instructions, rx.prescribed_date, rx.expiration_date
        FROM prescriptions rx
        JOIN users d ON d.id = rx.doctor_id
        WHERE rx.id = @id AND rx.patient_id = @patientId
        """;

    DateOnly Today => DateOnly.FromDateTime(time.GetLocalNow().DateTime);

    public async Task<MyPrescriptions> MineAsync(CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync(Roles.Patient);
        var all = await db.QueryListAsync<PatientPrescription>(MineSql, new { patientId = user.Id }, ct);
        var current = all.Where(IsCurrent)
            .OrderBy(p => p.Status == "pending")
            .ThenBy(p => p.Medication, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new MyPrescriptions(current, [.. all.Except(current)]);
    }

    public bool IsCurrent(PatientPrescription p) =>
        CurrentStatuses.Contains(p.Status) && (p.ExpirationDate is null || p.ExpirationDate >= Today);

    public bool CanRequestRefill(PatientPrescription p) => RefillableStatuses.Contains(p.Status) && IsCurrent(p);

    /// <summary>Sends the prescribing doctor a refill request for one of the patient's current prescriptions; returns the message id.</summary>
    /// <exception cref="AccessDeniedException">Not the patient's prescription (or none with that id).</exception>
    /// <exception cref="BusinessRuleException">The prescription cannot be refilled (pending, ended or expired).</exception>
    public async Task<int> RequestRefillAsync(int prescriptionId, string? note = null, CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync(Roles.Patient);
        var rx = await db.QueryOneAsync<PatientPrescription>(OneSql, new { id = prescriptionId, patientId = user.Id }, ct)
            ?? throw new AccessDeniedException("That prescription was not found among yours.");
        if (!CanRequestRefill(rx))
            throw new BusinessRuleException(rx.Status == "pending"
                ? "This prescription has not been started yet, so it cannot be refilled."
                : "This prescription has ended or expired. Send your doctor a message to ask for a new one.");
        if (RefillNote.Error(note) is { } error)
            throw new BusinessRuleException(error);
        note = TextField.Clean(note);

        var body = $"""
            Please refill my prescription for {rx.Medication} {rx.Dosage} ({rx.Frequency}).
            Pharmacy: {rx.Pharmacy ?? "not set"}. Refills left: {rx.Refills}.{(string.IsNullOrEmpty(note) ? "" : $"\n\n{note}")}
            """;
        return await db.InTransactionAsync(async tx =>
        {
            var id = await MessageService.InsertAsync(tx, user, rx.DoctorId, $"Refill request: {rx.Medication}", body, "normal", null);
            await audit.WriteAsync(tx, "prescription_refill_request", "prescriptions", rx.Id, null, new { messageId = id, rx.DoctorId });
            return id;
        }, ct: ct);
    }
}
