namespace CallCenter.Contracts.Calls;

/// <summary>One IVR node the caller passed and the keys pressed there (secret digits as "*").</summary>
public sealed record PopIvrStep(string Node, string Keys);
