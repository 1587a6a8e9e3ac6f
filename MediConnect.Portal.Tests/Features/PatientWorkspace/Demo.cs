using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Features.PatientWorkspace;

/// <summary>Demo accounts the patient-workspace tests sign in as.</summary>
static class Demo
{
    public const string John = "john.doe@mediconnect.demo";
    public const string Emily = "emily.johnson@mediconnect.demo";
    public const string Michael = "michael.brown@mediconnect.demo";
    public const string Smith = "dr.smith@mediconnect.demo";
    public const string Patel = "dr.patel@mediconnect.demo";
    public const string Chen = "dr.chen@mediconnect.demo";
    public const string Okafor = "dr.okafor@mediconnect.demo";
    public const string Admin = "admin@mediconnect.demo";

    public static readonly string[] ActivePatients =
    [
        John, Emily, Michael, "maria.rodriguez@mediconnect.demo", "david.wilson@mediconnect.demo",
        "sophia.nguyen@mediconnect.demo", "james.taylor@mediconnect.demo", "aisha.khan@mediconnect.demo",
        "robert.miller@mediconnect.demo", "noah.kim@mediconnect.demo",
    ];

    public static AuditLog Audit(ICurrentUser user) => new(user);

    public static CareTeam CareTeam(TestDatabase database) => new(database.DataSource);
}
