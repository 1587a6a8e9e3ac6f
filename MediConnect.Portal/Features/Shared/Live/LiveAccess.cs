using MediConnect.Portal.Security;

namespace MediConnect.Portal.Features.Shared.Live;

/// <summary>
/// Who may be told of an event: the services' own access rules, applied to the event's ids on
/// the server, per circuit. A patient hears of their own rows; a doctor of the rows of patients
/// whose chart they may read now (<see cref="CareTeam.ChartAccessAsync"/>: their care team, or a
/// running break-glass access); an admin of users,
/// sessions and migrations but never of clinical rows; everyone of their own messages,
/// notifications and sessions.
/// </summary>
public static class LiveAccess
{
    /// <summary>The events of <paramref name="events"/> that <paramref name="user"/> may know of, in order.</summary>
    public static async Task<IReadOnlyList<LiveEvent>> AllowedAsync(PortalUser user, IReadOnlyList<LiveEvent> events, CareTeam careTeam, CancellationToken ct = default)
    {
        var inCareTeam = new Dictionary<int, bool>(); // asked once per patient per batch
        var allowed = new List<LiveEvent>(events.Count);
        foreach (var e in events)
        {
            if (await MayKnowAsync(user, e, careTeam, inCareTeam, ct))
                allowed.Add(e);
        }
        return allowed;
    }

    static async ValueTask<bool> MayKnowAsync(PortalUser user, LiveEvent e, CareTeam careTeam, Dictionary<int, bool> inCareTeam, CancellationToken ct) => e.Topic switch
    {
        LiveTopic.Reload => true,
        LiveTopic.Appointment or LiveTopic.Prescription or LiveTopic.MedicalRecord or LiveTopic.VitalSign
            => await MaySeePatientAsync(user, e, careTeam, inCareTeam, ct),
        LiveTopic.Message => user.Id == e.SenderId || user.Id == e.RecipientId,
        LiveTopic.Notification => user.Id == e.UserId,
        LiveTopic.Session or LiveTopic.User => user.Id == e.UserId || user.IsAdmin,
        LiveTopic.Migration => user.IsAdmin,
        _ => false,
    };

    static async ValueTask<bool> MaySeePatientAsync(PortalUser user, LiveEvent e, CareTeam careTeam, Dictionary<int, bool> inCareTeam, CancellationToken ct)
    {
        if (e.PatientId is not { } patientId)
            return false;
        if (user.IsPatient)
            return user.Id == patientId;
        if (!user.IsDoctor)
            return false;
        if (e.DoctorId == user.Id)
            return true;
        if (!inCareTeam.TryGetValue(patientId, out var linked))
            inCareTeam[patientId] = linked = (await careTeam.ChartAccessAsync(user.Id, patientId, ct)).CanRead;
        return linked;
    }
}
