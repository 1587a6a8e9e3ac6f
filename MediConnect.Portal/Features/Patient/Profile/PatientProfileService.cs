using System.Text.RegularExpressions;
using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Patient.Profile;

public sealed record PatientProfileView(
    string Email,
    string Role,
    string Name,
    string? Phone,
    DateOnly? DateOfBirth,
    string? BloodType,
    string? Address,
    string? City,
    string? State,
    string? ZipCode,
    string? Country,
    string? EmergencyContactName,
    string? EmergencyContactPhone,
    string? InsuranceProvider,
    string? InsuranceMemberId);

/// <summary>The rules of the profile's text fields (the form shows the same limits).</summary>
public static class ProfileFields
{
    public static readonly TextField Phone = new("The phone number", 40);
    public static readonly TextField Address = new("The address", 200);
    public static readonly TextField City = new("The city", 100);
    public static readonly TextField State = new("The state", 100);
    public static readonly TextField ZipCode = new("The ZIP code", 20);
    public static readonly TextField Country = new("The country", 100);
    public static readonly TextField ContactName = new("The contact's name", 100, TextKind.Identity);
    public static readonly TextField InsuranceProvider = new("The insurance provider", 100);
    public static readonly TextField InsuranceMemberId = new("The member id", 50);
}

/// <summary>The editable part of a patient's profile (email, role, name and clinical data are not editable here).</summary>
public sealed partial class ProfileEdit
{
    public string? Phone { get; set; }
    public string? Address { get; set; }
    public string? City { get; set; }
    public string? State { get; set; }
    public string? ZipCode { get; set; }
    public string? Country { get; set; }
    public string? EmergencyContactName { get; set; }
    public string? EmergencyContactPhone { get; set; }
    public string? InsuranceProvider { get; set; }
    public string? InsuranceMemberId { get; set; }

    public static ProfileEdit From(PatientProfileView p) => new()
    {
        Phone = p.Phone, Address = p.Address, City = p.City, State = p.State, ZipCode = p.ZipCode, Country = p.Country,
        EmergencyContactName = p.EmergencyContactName, EmergencyContactPhone = p.EmergencyContactPhone,
        InsuranceProvider = p.InsuranceProvider, InsuranceMemberId = p.InsuranceMemberId,
    };

    /// <summary>Per field (property name), what is wrong; empty when it can be saved.</summary>
    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        errors.Check(nameof(Phone), ProfileFields.Phone, Phone);
        errors.Check(nameof(EmergencyContactPhone), ProfileFields.Phone, EmergencyContactPhone);
        CheckPhone(nameof(Phone), Phone, errors);
        CheckPhone(nameof(EmergencyContactPhone), EmergencyContactPhone, errors);
        errors.Check(nameof(Address), ProfileFields.Address, Address);
        errors.Check(nameof(City), ProfileFields.City, City);
        errors.Check(nameof(State), ProfileFields.State, State);
        errors.Check(nameof(ZipCode), ProfileFields.ZipCode, ZipCode);
        errors.Check(nameof(Country), ProfileFields.Country, Country);
        errors.Check(nameof(EmergencyContactName), ProfileFields.ContactName, EmergencyContactName);
        errors.Check(nameof(InsuranceProvider), ProfileFields.InsuranceProvider, InsuranceProvider);
        errors.Check(nameof(InsuranceMemberId), ProfileFields.InsuranceMemberId, InsuranceMemberId);
        return errors;
    }

    static void CheckPhone(string field, string? value, Dictionary<string, string> errors)
    {
        if (!errors.ContainsKey(field) && !string.IsNullOrWhiteSpace(value) && !PhonePattern().IsMatch(value.Trim()))
            errors[field] = "Enter a phone number with digits, spaces, dashes or brackets, e.g. +1-555-0142.";
    }

    [GeneratedRegex(@"^\+?[0-9][0-9 ()\-.]{5,24}$")]
    private static partial Regex PhonePattern();
}

/// <summary>The signed-in patient's own profile: view, and edit contact details, address, emergency contact and insurance.</summary>
public sealed class PatientProfileService(NpgsqlDataSource db, ICurrentUser currentUser, AuditLog audit)
{
    const string MineSql = """
        SELECT u.email, u.role, u.name, u.phone, p.date_of_birth, p.blood_type, p.address, p.city, p.state, p.zip_code, p.country,
               p.emergency_contact_name, p.emergency_contact_phone, p.insurance_provider, p.insurance_member_id
        FROM users u
        JOIN patients p ON p.user_id = u.id
        WHERE u.id = @userId
        """;

    const string UpdateUserSql = "UPDATE users SET phone = @Phone WHERE id = @UserId";

    const string UpdatePatientSql = """
        UPDATE patients
        SET address = @Address, city = @City, state = @State, zip_code = @ZipCode, country = @Country,
            emergency_contact_name = @EmergencyContactName, emergency_contact_phone = @EmergencyContactPhone,
            insurance_provider = @InsuranceProvider, insurance_member_id = @InsuranceMemberId
        WHERE user_id = @UserId
        """;

    public async Task<PatientProfileView> MineAsync(CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync(Roles.Patient);
        return await db.QueryOneAsync<PatientProfileView>(MineSql, new { userId = user.Id }, ct)
            ?? throw new AccessDeniedException("Your patient profile is missing; please contact the clinic.");
    }

    /// <exception cref="FieldValidationException">A field is invalid.</exception>
    public async Task<PatientProfileView> UpdateAsync(ProfileEdit edit, CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync(Roles.Patient);
        var errors = edit.Validate();
        if (errors.Count > 0)
            throw new FieldValidationException(errors);
        var row = new
        {
            UserId = user.Id,
            Phone = Clean(edit.Phone),
            Address = Clean(edit.Address),
            City = Clean(edit.City),
            State = Clean(edit.State),
            ZipCode = Clean(edit.ZipCode),
            Country = Clean(edit.Country),
            EmergencyContactName = Clean(edit.EmergencyContactName),
            EmergencyContactPhone = Clean(edit.EmergencyContactPhone),
            InsuranceProvider = Clean(edit.InsuranceProvider),
            InsuranceMemberId = Clean(edit.InsuranceMemberId),
        };
        await db.InTransactionAsync(async tx =>
        {
            var before = await tx.QueryOneAsync<PatientProfileView>(MineSql + " FOR UPDATE OF u, p", new { userId = user.Id })
                ?? throw new AccessDeniedException("Your patient profile is missing; please contact the clinic.");
            await tx.ExecuteAsync(UpdateUserSql, row);
            await tx.ExecuteAsync(UpdatePatientSql, row);
            // The names of the fields changed, not the address, contacts or insurance (see AuditLog).
            await audit.WriteAsync(tx, "patient_profile_update", "users", user.Id, null,
                new { changed = AuditLog.Changed(ProfileEdit.From(before), row) });
        }, ct: ct);
        return await MineAsync(ct);
    }

    static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
