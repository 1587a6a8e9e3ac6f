using MediConnect.Portal.Features.Doctor.Appointments;
using MediConnect.Portal.Features.Shared.Lists;

namespace MediConnect.Portal.Tests.Features.Shared.Lists;

public sealed class ViewQueryTests
{
    [Theory]
    [InlineData(null, 0)]
    [InlineData("1", 0)]
    [InlineData("3", 2)]
    [InlineData("-3", 0)]
    [InlineData("0", 0)]
    [InlineData("2.5", 0)]
    [InlineData("abc", 0)]
    [InlineData("99999999999", 0)]
    public void APageInTheUrlCountsFromOneAndAnythingElseIsTheFirstPage(string? value, int index) =>
        Assert.Equal(index, ViewQuery.PageIndex(value));

    [Theory]
    [InlineData("past", AppointmentScope.Past)]
    [InlineData("ALL", AppointmentScope.All)]
    [InlineData("1", AppointmentScope.Upcoming)]
    [InlineData("Past,All", AppointmentScope.Upcoming)]
    [InlineData("everything", AppointmentScope.Upcoming)]
    [InlineData(null, AppointmentScope.Upcoming)]
    public void AChoiceIsANameAndAnythingElseIsTheDefault(string? value, AppointmentScope scope) =>
        Assert.Equal(scope, ViewQuery.Choice(value, AppointmentScope.Upcoming));

    [Fact]
    public void DefaultsAreLeftOutOfTheUrl()
    {
        Assert.Null(ViewQuery.ChoiceValue(AppointmentScope.Upcoming, AppointmentScope.Upcoming));
        Assert.Equal("past", ViewQuery.ChoiceValue(AppointmentScope.Past, AppointmentScope.Upcoming));
        Assert.Null(ViewQuery.PageValue(0));
        Assert.Equal("2", ViewQuery.PageValue(1));
        Assert.Null(ViewQuery.PageSizeValue(25, 25));
        Assert.Null(ViewQuery.DateValue(new DateOnly(2030, 1, 7), new DateOnly(2030, 1, 7)));
        Assert.Null(ViewQuery.Text("   "));
        Assert.Null(ViewQuery.FlagValue(false));
    }

    [Fact]
    public void DatesAndPageSizesOutsideWhatThePageOffersAreIgnored()
    {
        Assert.Equal(new DateOnly(2030, 1, 7), ViewQuery.Date("2030-01-07"));
        Assert.Null(ViewQuery.Date("garbage"));
        Assert.Null(ViewQuery.Date("2030-02-30"));
        Assert.Equal(25, ViewQuery.PageSize("7", [10, 25, 50], 25));
        Assert.Equal(50, ViewQuery.PageSize("50", [10, 25, 50], 25));
        Assert.Equal(200, ViewQuery.Text(new string('x', 500))!.Length);
    }
}
