namespace CallCenter.ResourceControl.Clients;

/// <summary>One client's month: the month's average daily equity (月日均权益) and the fees paid, in CNY.</summary>
internal sealed record MonthlyFigures(int Year, int Month, decimal AverageEquity, decimal Fees);
