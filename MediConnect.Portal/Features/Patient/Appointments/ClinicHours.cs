using MediConnect.Portal.Features.Shared.Dates;
using MediConnect.Portal.Security;

namespace MediConnect.Portal.Features.Patient.Appointments;

/// <summary>
/// When a visit may be booked or moved to: weekdays up to six months ahead, on the half hour
/// between opening and closing, not already passed. The same rules for a booking and a move.
/// </summary>
public static class ClinicHours
{
    public const int SlotMinutes = 30;
    public static readonly TimeOnly OpensAt = new(9, 0);
    public static readonly TimeOnly ClosesAt = new(17, 0);
    /// <summary>How far ahead a visit may be booked: about six months.</summary>
    public const int HorizonDays = 180;

    /// <summary>Why a date cannot be booked, or null when it can.</summary>
    public static string? CheckDate(DateOnly? date, DateOnly today) => date switch
    {
        null => "Pick a date.",
        { } d when d < today => "The date is in the past. Pick today or a later day.",
        { DayOfWeek: DayOfWeek.Saturday or DayOfWeek.Sunday } => "The clinic is closed at weekends. Pick a weekday.",
        { } d when d > today.AddDays(HorizonDays) => "Appointments can be booked up to six months ahead.",
        _ => null,
    };

    /// <summary>
    /// When a visit of <paramref name="minutes"/> may start: a bookable day (<see cref="CheckDate"/>),
    /// a half hour within opening hours that leaves room for the whole visit, not already passed.
    /// </summary>
    /// <exception cref="BusinessRuleException">A rule is broken (the message says which).</exception>
    public static (DateOnly Date, TimeOnly Slot) CheckWhen(DateOnly? date, TimeOnly? time, int minutes, DateTime now)
    {
        if (CheckDate(date, DateOnly.FromDateTime(now)) is { } dateProblem)
            throw new BusinessRuleException(dateProblem);
        if (time is not { } slot)
            throw new BusinessRuleException("Pick a time.");
        var lastStart = LastStart(minutes);
        if (slot < OpensAt || slot > lastStart || slot.Minute % SlotMinutes != 0 || slot.Second != 0)
            throw new BusinessRuleException($"Pick a time on the half hour between {DateText.Time(OpensAt)} and {DateText.Time(lastStart)}.");
        if (date!.Value.ToDateTime(slot) <= now)
            throw new BusinessRuleException("That time has already passed. Pick a later time.");
        return (date.Value, slot);
    }

    /// <summary>The half hours of <paramref name="date"/>, not yet passed, where a visit of <paramref name="minutes"/> overlaps none of <paramref name="busy"/>.</summary>
    public static IReadOnlyList<TimeOnly> OpenSlots(DateOnly date, int minutes, IReadOnlyList<(TimeSpan Time, int Minutes)> busy, DateTime now)
    {
        var slots = new List<TimeOnly>();
        for (var slot = OpensAt; slot <= LastStart(minutes); slot = slot.AddMinutes(SlotMinutes))
        {
            if (date.ToDateTime(slot) <= now)
                continue;
            var start = slot.ToTimeSpan();
            var end = start + TimeSpan.FromMinutes(minutes);
            if (!busy.Any(b => b.Time < end && b.Time + TimeSpan.FromMinutes(b.Minutes) > start))
                slots.Add(slot);
        }
        return slots;
    }

    /// <summary>The last half hour at which a visit of <paramref name="minutes"/> still ends by closing time (16:30 for 30 minutes).</summary>
    static TimeOnly LastStart(int minutes) =>
        OpensAt.AddMinutes((int)((ClosesAt - OpensAt).TotalMinutes - minutes) / SlotMinutes * SlotMinutes);
}
