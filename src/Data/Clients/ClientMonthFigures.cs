namespace CallCenter.Data.Clients;

/// <summary>One client's month in CNY: the average daily equity (月日均权益), the fees paid and the month-end equity.</summary>
/// <param name="Phone">The client's caller number.</param>
/// <param name="Month">The month, <c>YYYY-MM</c>.</param>
/// <param name="AverageEquity">The month's average daily equity.</param>
/// <param name="Fees">The fees paid in the month.</param>
/// <param name="MonthEndEquity">The equity at the month's end, if known; December's is the year-end equity.</param>
public sealed record ClientMonthFigures(string Phone, string Month, decimal AverageEquity, decimal Fees, decimal? MonthEndEquity = null);
