using Bunit;
using MediConnect.Portal.Tests.Fixtures;
using MediConnect.Portal.Data.Migrations;
using MediConnect.Portal.Features.Admin.Migrations;
using MediConnect.Portal.Features.Shared.Dates;

namespace MediConnect.Portal.Tests.Features.Admin.Migrations;

public sealed class MigrationsTableTests : PortalComponentTest
{
    [Fact]
    public void ShowsAppliedPendingAndChangedFilesWithTheChangedOneInRedWithWhatToDo()
    {
        var appliedAt = new DateTimeOffset(2025, 4, 2, 10, 15, 0, TimeSpan.Zero);
        MigrationStatus[] rows =
        [
            new("001_initial_schema.sql", MigrationState.Applied, new string('a', 64), new string('a', 64), appliedAt, 231, "cli:root"),
            new("002_seed_demo_data.sql", MigrationState.Changed, new string('b', 64), new string('c', 64), appliedAt, 57, "web:admin@mediconnect.demo"),
            new("003_add_index.sql", MigrationState.Pending, new string('d', 64), null, null, null, null),
        ];

        var table = Render<MigrationsTable>(p => p.Add(t => t.Rows, rows));

        var trs = table.FindAll("tbody tr");
        Assert.Equal(3, trs.Count);
        Assert.Contains("Applied", trs[0].TextContent);
        Assert.Contains(DateText.DateTime(appliedAt, seconds: true), trs[0].TextContent); // the one style, in the portal's time zone
        Assert.Contains("231 ms", trs[0].TextContent);
        Assert.Contains("cli:root", trs[0].TextContent);
        Assert.Contains("aaaaaaaaaaaa", trs[0].TextContent);
        Assert.Contains("Changed since applied", trs[1].TextContent);
        var advice = trs[1].QuerySelector(".migration-advice")!;
        Assert.Contains("mud-error-text", advice.ClassName);
        Assert.Contains("Restore the applied version", advice.TextContent);
        Assert.Contains("cccccccccccc", advice.TextContent);
        Assert.Contains("mud-chip-color-error", trs[1].QuerySelector("[data-state=changed]")!.ClassName);
        Assert.Contains("Pending", trs[2].TextContent);
        Assert.Null(trs[2].QuerySelector(".migration-advice"));
    }

    [Fact]
    public void ASkippedDemoDataFileSaysHowToApplyItWithoutAlarm()
    {
        MigrationStatus[] rows = [new("002_seed_demo_data.sql", MigrationState.Skipped, new string('b', 64), null, null, null, null)];

        var row = Render<MigrationsTable>(p => p.Add(t => t.Rows, rows)).Find("tbody tr");

        Assert.Contains("Skipped (demo data)", row.TextContent);
        var advice = row.QuerySelector(".migration-advice")!;
        Assert.Contains("SEED_DEMO_DATA=true", advice.TextContent);
        Assert.DoesNotContain("mud-error-text", advice.ClassName);
        Assert.DoesNotContain("mud-chip-color-error", row.QuerySelector("[data-state=skipped]")!.ClassName);
        Assert.Contains("Applied: —", "Applied: " + row.QuerySelectorAll("td")[2].TextContent); // nothing in the journal
    }

    [Fact]
    public void AnEmptyFolderSaysSo()
    {
        var table = Render<MigrationsTable>(p => p.Add(t => t.Rows, []));

        Assert.Contains("There are no migration files", table.Markup);
    }
}
