using System.Text.Json.Serialization;

namespace CallCenter.Contracts.Calls;

/// <summary>Where an agent's call stands on their desk; sent to the browser as the lowercase word.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeskCallPhase>))]
public enum DeskCallPhase
{
    /// <summary>The agent's phone rings with the call.</summary>
    [JsonStringEnumMemberName("ringing")]
    Ringing,

    /// <summary>The agent and the caller (or, consulted, the two agents) hear each other.</summary>
    [JsonStringEnumMemberName("talking")]
    Talking,

    /// <summary>On hold: the caller hears music.</summary>
    [JsonStringEnumMemberName("held")]
    Held,

    /// <summary>The agent consults another agent; the caller hears music.</summary>
    [JsonStringEnumMemberName("consulting")]
    Consulting,

    /// <summary>The agent's part of the call is over (the wrap-up may follow).</summary>
    [JsonStringEnumMemberName("ended")]
    Ended,
}
