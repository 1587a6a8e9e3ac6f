using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Benchmarks.Pages;

/// <summary>
/// The seeded data set (<c>bench.shape</c>, see Seed/scale.sql): how many doctors and patients, and
/// where their contiguous ids start, so both the harness and pgbench pick valid ids by arithmetic.
/// Patient k (0 ≤ k &lt; Patients) is <c>users.id = FirstPatientUser + k</c>, seen by the doctor
/// <c>FirstDoctor + k % Doctors</c>; every 50th patient syncs a device (four readings a day).
/// </summary>
public sealed record Shape(decimal Scale, int Doctors, int Patients, int FirstDoctor, int FirstPatientUser, int AdminId)
{
    public const int DeviceEvery = 50;

    public static async Task<Shape> ReadAsync(string connectionString)
    {
        DapperConventions.Apply();
        await using var db = NpgsqlDataSource.Create(connectionString);
        return await db.QueryOneAsync<Shape>("""
            SELECT scale, doctors, patients, first_doctor, first_patient_user,
                   (SELECT id FROM users WHERE email = 'admin@mediconnect.demo') AS admin_id
            FROM bench.shape
            """) ?? throw new InvalidOperationException("This database holds no bench.shape: seed it with ./bench.sh seed.");
    }

    /// <summary>A random patient index: any patient, or one who syncs a device.</summary>
    public int PickPatient(Random random, bool device) =>
        device ? DeviceEvery * random.Next(Patients / DeviceEvery) : random.Next(Patients);

    public PageIds Ids(int k) => new(FirstDoctor + k % Doctors, FirstPatientUser + k);

    /// <summary>The same choice in pgbench: variables <c>d</c> (doctor) and <c>p</c> (patient user).</summary>
    public string PgbenchVariables(bool device) =>
        (device ? $"\\set k {DeviceEvery} * random(0, {Patients / DeviceEvery - 1})\n" : $"\\set k random(0, {Patients - 1})\n")
        + $"\\set d {FirstDoctor} + :k % {Doctors}\n"
        + $"\\set p {FirstPatientUser} + :k\n";

    public PortalUser User(string role, PageIds ids) => role switch
    {
        Roles.Doctor => new PortalUser(ids.Doctor, $"doctor{ids.Doctor - FirstDoctor}@clinic-chain.example", "Benchmark doctor", role, null, "127.0.0.1", "bench"),
        Roles.Patient => new PortalUser(ids.PatientUser, $"patient{ids.PatientUser}@patients.example", "Benchmark patient", role, null, "127.0.0.1", "bench"),
        _ => new PortalUser(AdminId, "admin@mediconnect.demo", "Alex Admin", Roles.Admin, null, "127.0.0.1", "bench"),
    };
}

/// <summary>The doctor and the patient (both <c>users.id</c>) of one page load.</summary>
public readonly record struct PageIds(int Doctor, int PatientUser);
