namespace MediConnect.Portal.Features.Admin.Users;

/// <summary>The users list's filters and page (0-based).</summary>
public sealed record UserQuery(string? Search = null, string? Role = null, bool? Active = null, int Page = 0, int PageSize = 20);

/// <summary>One row of the users list.</summary>
public sealed record UserSummary(
    int Id,
    string Email,
    string Name,
    string Role,
    string? Specialization,
    string? Phone,
    bool IsActive,
    DateTime? LastLogin,
    int FailedLoginAttempts,
    DateTime? LockedUntil,
    DateTime CreatedAt,
    long ActiveSessions,
    bool TwoFactorEnrolled)
{
    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && until > now.UtcDateTime;
}

/// <summary>A page of users and how many match: exact up to the <c>CappedCount</c> limit, else the limit with <see cref="MoreThanTotal"/>.</summary>
public sealed record UserResultPage(IReadOnlyList<UserSummary> Items, int Total, bool MoreThanTotal = false);

/// <summary>A new account. <see cref="Password"/> is the initial password the admin set or generated.</summary>
public sealed record NewUser(string Email, string Name, string Role, string? Phone, string? Specialization, string Password);

/// <summary>What an admin may change on an account (email and password have their own paths).</summary>
public sealed record UserChanges(string Name, string Role, string? Phone, string? Specialization);

/// <summary>What an admin's two-factor reset ended besides the second factor: the user's sessions and live access tokens.</summary>
public sealed record TwoFactorReset(int SessionsEnded, int TokensRevoked);
