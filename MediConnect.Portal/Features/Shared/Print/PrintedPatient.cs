using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Shared.Print;

/// <summary>The signed-in patient as their own printouts name them: name and date of birth.</summary>
public sealed class PrintedPatient(NpgsqlDataSource db, ICurrentUser currentUser)
{
    /// <exception cref="AccessDeniedException">Not signed in as a patient.</exception>
    public async Task<(string Name, DateOnly? DateOfBirth)> MeAsync(CancellationToken ct = default)
    {
        var patient = await currentUser.RequireAsync(Roles.Patient);
        const string sql = "SELECT date_of_birth FROM patients WHERE user_id = @id";
        return (patient.Name, await db.QueryOneAsync<DateOnly?>(sql, new { id = patient.Id }, ct));
    }
}
