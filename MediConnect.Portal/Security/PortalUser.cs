namespace MediConnect.Portal.Security;

/// <summary>
/// The signed-in user as every service sees it. <see cref="SessionId"/>, <see cref="IpAddress"/>
/// and <see cref="UserAgent"/> come from the sign-in and go into audit rows.
/// <see cref="SecondFactor"/> says how the sign-in was confirmed after the password
/// (<c>totp</c>, <c>recovery_code</c>), null when it needed no second factor.
/// </summary>
public sealed record PortalUser(
    int Id,
    string Email,
    string Name,
    string Role,
    string? SessionId = null,
    string? IpAddress = null,
    string? UserAgent = null,
    string? SecondFactor = null)
{
    public bool IsAdmin => Role == Roles.Admin;
    public bool IsDoctor => Role == Roles.Doctor;
    public bool IsPatient => Role == Roles.Patient;
}
