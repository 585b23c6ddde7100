using System.Net;
using Microsoft.Extensions.Logging;

namespace CallCenter.Telephony;

/// <summary>The Telephony room's log lines (event ids 1000-1999). Never a password, digest value or PIN.</summary>
internal static partial class TelephonyLog
{
    [LoggerMessage(1000, LogLevel.Information, "SIP listening on {Protocol} {EndPoint}")]
    public static partial void Listening(ILogger logger, string protocol, EndPoint endPoint);

    [LoggerMessage(1001, LogLevel.Debug, "SIP message from {Source} rejected: {Fault} ({Detail}); answering {StatusCode}")]
    public static partial void MessageRejected(ILogger logger, string source, string fault, string detail, int statusCode);

    [LoggerMessage(1002, LogLevel.Debug, "SIP message from {Source} dropped: {Fault} ({Detail})")]
    public static partial void MessageDropped(ILogger logger, string source, string fault, string detail);

    [LoggerMessage(1003, LogLevel.Warning, "SIP send to {Destination} failed: {Error}")]
    public static partial void SendFailed(ILogger logger, string destination, string error);

    [LoggerMessage(1004, LogLevel.Error, "SIP message from {Source} (Call-ID {CallId}) failed in its handler")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string source, string? callId);

    [LoggerMessage(1005, LogLevel.Warning, "SIP TCP connection from {Source} refused: {Limit} connections open")]
    public static partial void TcpConnectionRefused(ILogger logger, EndPoint? source, int limit);

    [LoggerMessage(1008, LogLevel.Warning, "SIP TCP connection from {Source} refused: that address already has {Limit} open (Sip:MaxTcpConnectionsPerSource)")]
    public static partial void TcpConnectionRefusedForSource(ILogger logger, EndPoint? source, int limit);

    [LoggerMessage(1009, LogLevel.Error, "Media clock: {Target} failed in its tick and was taken off the clock; its media has stopped, the other calls' goes on")]
    public static partial void ClockTargetFailed(ILogger logger, Exception exception, string target);

    [LoggerMessage(1006, LogLevel.Debug, "SIP TCP connection {Source} closed: {Reason}")]
    public static partial void TcpConnectionClosed(ILogger logger, string source, string reason);

    [LoggerMessage(1007, LogLevel.Warning, "SIP UDP receive failed: {Error}")]
    public static partial void UdpReceiveFailed(ILogger logger, string error);

    [LoggerMessage(1100, LogLevel.Error, "SIP transaction user failed on {Method} (Call-ID {CallId}); answering 500 if unanswered")]
    public static partial void TransactionUserFailed(ILogger logger, Exception exception, string method, string? callId);

    [LoggerMessage(1101, LogLevel.Error, "SIP transaction timer {Timer} failed (Call-ID {CallId})")]
    public static partial void TransactionTimerFailed(ILogger logger, Exception exception, string timer, string? callId);

    [LoggerMessage(7000, LogLevel.Information, "SIP WebSocket {Source} opened for agent {Agent}")]
    public static partial void WebSocketOpened(ILogger logger, string source, string agent);

    [LoggerMessage(7001, LogLevel.Information, "SIP WebSocket {Source} of agent {Agent} closed: {Reason}")]
    public static partial void WebSocketClosed(ILogger logger, string source, string agent, string reason);

    [LoggerMessage(7002, LogLevel.Warning, "SIP WebSocket {Source} of agent {Agent}: {Method} for extension {Extension} refused")]
    public static partial void WebSocketRequestRefused(ILogger logger, string source, string agent, string method, string extension);

    [LoggerMessage(7003, LogLevel.Warning, "SIP WebSocket from {Source} refused: connection limits (Sip:MaxTcpConnections, Sip:MaxTcpConnectionsPerSource)")]
    public static partial void WebSocketRefused(ILogger logger, string source);
}
