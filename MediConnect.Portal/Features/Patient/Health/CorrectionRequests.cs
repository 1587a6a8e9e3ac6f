using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Messages;
using MediConnect.Portal.Features.Shared.Notifications.Delivery;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Patient.Health;

/// <summary>
/// "Report a correction": a patient says one item of their record is wrong, and it reaches a
/// doctor who cares for them as a message (audited like any message), which the doctor answers
/// in the same conversation.
/// </summary>
public sealed class CorrectionRequests(NpgsqlDataSource db, ICurrentUser currentUser, NoticeQueue? notices = null)
{
    public static readonly TextField WhatIsWrong = new("What is wrong", 2000, TextKind.Lines, Missing: "Say what is wrong, and what it should say.");
    public static readonly TextField Item = new("The item", 200, TextKind.Identity, Missing: "Say which item is wrong.");

    public const string NoDoctorMessage = "You have no doctor to send a correction to yet: book a visit first.";

    // The doctor who recorded the item when they care for the patient (CareTeam's link), else the doctor of
    // the latest visit (not a cancelled one) or prescription, whichever is later; never a closed account.
    const string RecipientSql = """
        SELECT c.doctor_id FROM (
            SELECT doctor_id, 0 AS rank, NULL::date AS day FROM appointments WHERE patient_id = @patientId AND doctor_id = @preferredId
            UNION ALL
            SELECT doctor_id, 0, NULL FROM prescriptions WHERE patient_id = @patientId AND doctor_id = @preferredId
            UNION ALL
            SELECT doctor_id, 1, appointment_date FROM appointments WHERE patient_id = @patientId AND status <> 'cancelled'
            UNION ALL
            SELECT doctor_id, 1, prescribed_date FROM prescriptions WHERE patient_id = @patientId
        ) c
        JOIN users d ON d.id = c.doctor_id AND d.role = 'doctor' AND d.is_active
        ORDER BY c.rank, c.day DESC NULLS LAST
        LIMIT 1
        """;

    /// <summary>Sends the patient's correction of <paramref name="item"/> (e.g. "Allergy: Penicillin") to <paramref name="doctorId"/> when they care for them; returns the message id.</summary>
    /// <exception cref="FieldValidationException">The item or the text is missing, too long or holds control characters.</exception>
    /// <exception cref="BusinessRuleException">The patient has no doctor yet.</exception>
    public async Task<int> SendAsync(string? item, int? doctorId, string? whatIsWrong, CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync(Roles.Patient);
        var errors = new Dictionary<string, string>();
        errors.Check(nameof(item), Item, item);
        errors.Check(nameof(whatIsWrong), WhatIsWrong, whatIsWrong);
        if (errors.Count > 0)
            throw new FieldValidationException(errors);
        var recipient = await db.QueryOneAsync<int?>(RecipientSql, new { patientId = user.Id, preferredId = doctorId ?? 0 }, ct)
            ?? throw new BusinessRuleException(NoDoctorMessage);
        var subject = $"Correction requested: {TextField.Clean(item)}";
        var body = $"""
            {user.Name} asks for a correction to their record.

            Item: {TextField.Clean(item)}
            What is wrong: {TextField.Clean(whatIsWrong)}
            """;
        return await db.InTransactionAsync(tx => MessageService.InsertAsync(tx, user, recipient, subject[..Math.Min(subject.Length, MessageService.Subject.MaxLength)], body, "normal", null, notices), ct: ct);
    }
}
