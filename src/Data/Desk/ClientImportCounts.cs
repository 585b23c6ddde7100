namespace CallCenter.Data.Desk;

/// <summary>An import's result: clients new to the directory and clients whose entry was replaced.</summary>
public sealed record ClientImportCounts(int Imported, int Updated);
