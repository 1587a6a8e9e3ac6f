using Bunit;
using MediConnect.Portal.Components.Errors;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Patient.Vitals;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Npgsql;

namespace MediConnect.Portal.Tests.Components.Errors;

/// <summary>Interactive pages whose database goes away, or refuses, while the user works in them.</summary>
public sealed class PortalErrorBoundaryTests : DatabaseComponentTest, IClassFixture<TestDatabase>
{
    readonly DatabaseLink _link;
    readonly NpgsqlDataSource _dataSource;

    public PortalErrorBoundaryTests(TestDatabase database) : this(database, new DatabaseLink(database.ConnectionString))
    {
    }

    PortalErrorBoundaryTests(TestDatabase database, DatabaseLink link) : this(database, link, NpgsqlDataSource.Create(link.ConnectionString + ";Timeout=2"))
    {
    }

    PortalErrorBoundaryTests(TestDatabase database, DatabaseLink link, NpgsqlDataSource dataSource) : base(database, dataSource: dataSource) =>
        (_link, _dataSource) = (link, dataSource);

    Task<long> ReadingCountAsync() => Database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM vital_signs");

    [Fact]
    public async Task SavingAReadingWhileTheDatabaseIsAwaySaysSoKeepsWhatWasTypedAndSavesItOnceItIsBack()
    {
        await SignInAsync(Demo.Emily);
        RecordedReading? recorded = null;
        var cut = Render<VitalReadingForm>(f => f.Add(c => c.OnRecorded, r => recorded = r));
        await cut.Find("#vital-HeartRate").ChangeAsync("72");
        var before = await ReadingCountAsync();

        _link.Cut();
        await cut.Find("#save-reading").ClickAsync(new());

        Assert.Contains("cannot reach its database", cut.Find("#vital-save-failure").TextContent);
        Assert.Null(recorded);
        Assert.Equal(before, await ReadingCountAsync());

        _link.Mend();
        // Saving again, without retyping, stores what was typed before the outage.
        await cut.Find("#save-reading").ClickAsync(new());

        Assert.True(recorded is not null, cut.Find("#vital-reading-form").TextContent);
        Assert.Equal(72, await Database.DataSource.QueryOneAsync<int?>("SELECT heart_rate FROM vital_signs WHERE id = @Id", new { recorded.Id }));
    }

    [Fact]
    public async Task APageThatCannotLoadDuringAnOutageShowsTheOutageMessageAndComesBackByItselfWithoutEndingTheCircuit()
    {
        _link.Cut();
        var cut = Render<PortalErrorBoundary>(p => p
            .Add(b => b.RetryInterval, TimeSpan.FromMilliseconds(200))
            .AddChildContent<LoadsOnOpen>());

        await cut.WaitForAssertionAsync(() => Assert.Contains("The portal cannot reach its database. It keeps retrying.", cut.Find("#page-error").TextContent));
        Assert.Empty(cut.FindAll("#loaded"));

        _link.Mend();

        await cut.WaitForAssertionAsync(() => Assert.Equal("1", cut.Find("#loaded").TextContent), TimeSpan.FromSeconds(30));
        Assert.Empty(cut.FindAll("#page-error"));
    }

    [Fact]
    public async Task ADatabaseErrorNoFormHandledSaysNothingWasChangedAndClosingItBringsThePageBack()
    {
        var cut = Render<PortalErrorBoundary>(p => p.AddChildContent<LoadsOnOpen>());
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindAll("#loaded")));

        await cut.Find("#divide").ClickAsync(new());

        await cut.WaitForAssertionAsync(() => Assert.Equal("Could not save: the database refused the change, and nothing was changed. Check what you entered and try again.", cut.Find("#page-error").TextContent.Trim()));
        await cut.Find("#page-error button").ClickAsync(new());
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindAll("#loaded")));
    }

    /// <summary>A page that reads on open and runs a failing statement on click, handling neither failure.</summary>
    sealed class LoadsOnOpen : ComponentBase
    {
        [Inject] NpgsqlDataSource Db { get; set; } = null!;

        int? _value;

        protected override async Task OnInitializedAsync() => _value = await Db.QueryOneAsync<int>("SELECT 1");

        async Task DivideByZeroAsync() => await Db.ExecuteAsync("SELECT 1 / 0");

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            if (_value is null)
                return;
            builder.OpenElement(0, "span");
            builder.AddAttribute(1, "id", "loaded");
            builder.AddContent(2, _value);
            builder.CloseElement();
            builder.OpenElement(3, "button");
            builder.AddAttribute(4, "id", "divide");
            builder.AddAttribute(5, "onclick", EventCallback.Factory.Create(this, DivideByZeroAsync));
            builder.CloseElement();
        }
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        await _dataSource.DisposeAsync();
        await _link.DisposeAsync();
    }
}
