namespace CallCenter.Data.Desk;

/// <summary>A wrap-up disposition code with its Mandarin and English labels; inactive codes are kept for old records but not offered.</summary>
public sealed record DispositionCode(string Code, string LabelZh, string LabelEn, bool Active, int SortOrder);
