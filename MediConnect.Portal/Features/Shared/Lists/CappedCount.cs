using System.Globalization;

namespace MediConnect.Portal.Features.Shared.Lists;

/// <summary>
/// The total of a paged list that can match millions of rows (the audit log, every user of a clinic
/// chain): exact up to <see cref="Limit"/>, beyond it "more than 10,000". A page load then never
/// counts every row, and the pager never offers pages past the limit.
/// </summary>
public static class CappedCount
{
    public const int Limit = 10_000;

    /// <summary>Counts the rows of <paramref name="fromAndWhere"/> (a FROM … WHERE …), stopping one past the limit.</summary>
    public static string Sql(string fromAndWhere) =>
        string.Create(CultureInfo.InvariantCulture, $"SELECT count(*) FROM (SELECT 1 {fromAndWhere} LIMIT {Limit + 1}) AS matching");

    /// <summary>The total to show and whether more rows match than it says.</summary>
    public static (int Total, bool MoreThanTotal) Read(long counted) => ((int)Math.Min(counted, Limit), counted > Limit);

    /// <summary>The pager's text: "1-25 of 312", or "1-25 of more than 10,000".</summary>
    public static string PagerInfo(bool moreThanTotal) =>
        moreThanTotal ? $"{{first_item}}-{{last_item}} of more than {Limit:N0}" : "{first_item}-{last_item} of {all_items}";
}
