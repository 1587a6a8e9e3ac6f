namespace MediConnect.Portal.Security;

/// <summary>The three roles of <c>users.role</c>; also the role claim's values and the names used in <c>[Authorize(Roles = …)]</c>.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Doctor = "doctor";
    public const string Patient = "patient";

    public static readonly IReadOnlyList<string> All = [Admin, Doctor, Patient];

    /// <summary>Where each role lands after signing in.</summary>
    public static string HomePage(string role) => role switch
    {
        Admin => "/admin",
        Doctor => "/doctor",
        Patient => "/patient",
        _ => "/",
    };
}
