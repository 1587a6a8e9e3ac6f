using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Patient.Prescriptions;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Features.Patient.Prescriptions;

public sealed class PatientPrescriptionServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    async Task<PatientPrescriptionService> AsAsync(string email)
    {
        var user = await database.SignedInAsync(email);
        return new PatientPrescriptionService(database.DataSource, user, Demo.Audit(user), TimeProvider.System);
    }

    [Fact]
    public async Task CurrentPrescriptionsComeFirstAndEndedOnesAreHistory()
    {
        var service = await AsAsync(Demo.John);

        var mine = await service.MineAsync();

        Assert.Contains(mine.Current, p => p.Medication.StartsWith("Lisinopril", StringComparison.Ordinal) && p.Status == "active");
        Assert.Contains(mine.History, p => p.Status == "cancelled");
        Assert.All(mine.Current, p => Assert.Contains(p.Status, new[] { "active", "filled", "dispensed", "pending" }));
        Assert.Equal("pending", mine.Current[^1].Status);
        Assert.All(mine.Current.Concat(mine.History), p => Assert.Equal("Dr. Sarah Smith", p.DoctorName));
    }

    [Fact]
    public async Task ARefillRequestIsAMessageToThePrescribingDoctor()
    {
        var service = await AsAsync(Demo.John);
        var lisinopril = (await service.MineAsync()).Current.First(p => p.Status == "active");

        var messageId = await service.RequestRefillAsync(lisinopril.Id, "Running out on Friday.");

        var message = await database.DataSource.QueryOneAsync<(int SenderId, int RecipientId, string Subject, string Body, bool IsRead)>(
            "SELECT sender_id, recipient_id, subject, body, is_read FROM messages WHERE id = @messageId", new { messageId });
        Assert.Equal(await database.UserIdAsync(Demo.John), message.SenderId);
        Assert.Equal(lisinopril.DoctorId, message.RecipientId);
        Assert.Equal($"Refill request: {lisinopril.Medication}", message.Subject);
        Assert.Contains(lisinopril.Dosage, message.Body);
        Assert.Contains("Running out on Friday.", message.Body);
        Assert.False(message.IsRead);
        Assert.Equal(1L, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'prescription_refill_request' AND entity_id = @id", new { id = lisinopril.Id.ToString() }));
    }

    [Fact]
    public async Task APendingOrEndedPrescriptionCannotBeRefilled()
    {
        var service = await AsAsync(Demo.John);
        var mine = await service.MineAsync();

        var pending = await Assert.ThrowsAsync<BusinessRuleException>(() => service.RequestRefillAsync(mine.Current.First(p => p.Status == "pending").Id));
        var cancelled = await Assert.ThrowsAsync<BusinessRuleException>(() => service.RequestRefillAsync(mine.History.First(p => p.Status == "cancelled").Id));

        Assert.Contains("not been started", pending.Message);
        Assert.Contains("ended or expired", cancelled.Message);
    }
}
