using CallCenter.Ivr.Flows;
using CallCenter.Ivr.SelfService;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// Runs the IVR's back-office requests for the calls: each on a tracked background task (shutdown
/// waits for it), bounded by <see cref="Timeout"/>, with the call id and the recording reference for
/// the audit. The answer, or "error" when the back office failed, goes back to the call as an event;
/// the call's loop never waits. Logs name the operation and the step, never the inputs.
/// </summary>
internal sealed partial class SelfServiceRequests(IvrBackOfficeExecutor executor, BackgroundSends background, ILogger<SelfServiceRequests> logger)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public void Start(ActiveCall call, IvrAction.BackOfficeRequest request, Action<IvrEvent.Answered> answer)
    {
        // Read in the call's loop: the task must not touch the call.
        var callId = call.Id;
        var sipCallId = call.CallId;
        var recording = call.Recorder is { } recorder ? Path.GetFileName(recorder.Path) : null;
        var caller = new IvrCaller(call.CallerVerified ? call.Caller : null, call.VerifiedByPin ? call.VerifiedAccount : null);
        LogStarted(logger, callId, sipCallId, request.Operation, request.Step);
        background.Run(callId, sipCallId, "back-office " + request.Operation, () => Task.Run(async () =>
        {
            IvrEvent.Answered result;
            try
            {
                using var timeout = new CancellationTokenSource(Timeout);
                result = await executor.RunAsync(request, callId, recording, timeout.Token, caller);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The step's transaction rolled back or never started: the caller hears "not available".
                LogRequestFailed(logger, e, callId, sipCallId, request.Operation, request.Step);
                result = IvrEvent.Answered.Error(request.RequestId);
            }

            LogAnswered(logger, callId, sipCallId, request.Operation, request.Step, result.Result);
            answer(result);
        }));
    }

    [LoggerMessage(2412, LogLevel.Debug, "Call {CallId} (SIP {SipCallId}) back office {Operation} at {Step} asked")]
    private static partial void LogStarted(ILogger logger, string callId, string sipCallId, string operation, string step);

    [LoggerMessage(2410, LogLevel.Information, "Call {CallId} (SIP {SipCallId}) back office {Operation} at {Step}: {Result}")]
    private static partial void LogAnswered(ILogger logger, string callId, string sipCallId, string operation, string step, string result);

    [LoggerMessage(2411, LogLevel.Warning, "Call {CallId} (SIP {SipCallId}) back office {Operation} at {Step} failed")]
    private static partial void LogRequestFailed(ILogger logger, Exception exception, string callId, string sipCallId, string operation, string step);
}
