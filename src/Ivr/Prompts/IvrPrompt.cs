namespace CallCenter.Ivr.Prompts;

/// <summary>One prompt file: the host plays <c>config/prompts/{Language}/{Name}.wav</c>.</summary>
public readonly record struct IvrPrompt(string Language, string Name);
