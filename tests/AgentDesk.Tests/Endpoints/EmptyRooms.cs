using CallCenter.Contracts.Agents;
using CallCenter.Contracts.Calls;
using CallCenter.Contracts.Metrics;
using CallCenter.Contracts.Queues;
using CallCenter.Data;
using CallCenter.Data.Calls;
using CallCenter.Data.Catalog;
using CallCenter.Data.Clients;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CallCenter.AgentDesk.Tests.Endpoints;

/// <summary>
/// What the desk's endpoints need from the rest of the platform, empty: every endpoint is mapped
/// (MapAgentDesk maps them all), so a test of one registers the others' services from here.
/// Services a test registered first are kept.
/// </summary>
internal static class EmptyRooms
{
    public static void Add(IServiceCollection services, DbConnectionFactory? factory = null)
    {
        factory ??= new DbConnectionFactory(new DatabaseOptions { Provider = "sqlite", ConnectionString = "Data Source=:memory:" });
        services.TryAddSingleton<IAgentStates, NoAgents>();
        services.TryAddSingleton<IQueueStates, NoQueues>();
        services.TryAddSingleton<IQueuePicks, NoQueues>();
        services.TryAddSingleton<CallCenter.Contracts.Desk.ICallListDeadlines, NoLists>();
        services.TryAddSingleton<IMetricsReports, NoMetrics>();
        services.TryAddSingleton<ICallControl, NoCalls>();
        services.TryAddSingleton<IMonitorControl, NoMonitors>();
        services.TryAddSingleton<CallCenter.Data.Desk.AuditRepository>();
        services.TryAddSingleton(factory);
        services.TryAddSingleton<CallRecordRepository>();
        services.TryAddSingleton<CatalogRepository>();
        services.TryAddSingleton<TierChangeRepository>();
    }

    private sealed class NoAgents : IAgentStates
    {
        public IReadOnlyList<AgentSnapshot> List() => [];

        public AgentStateChange Request(string id, string state, string? reason) => new(null, AgentStateChangeError.UnknownAgent, null);

        public void HoldEmailTasks(IReadOnlyDictionary<string, string> acceptedByAgent)
        {
        }
    }

    private sealed class NoQueues : IQueueStates, IQueuePicks
    {
        public IReadOnlyList<QueueView> List() => [];

        public Task<QueuePickResult> PickAsync(string callId, string agent, string pickedBy) =>
            Task.FromResult(new QueuePickResult(QueuePickError.CallNotWaiting, "no queues here"));
    }

    private sealed class NoLists : CallCenter.Contracts.Desk.ICallListDeadlines
    {
        public Task<IReadOnlyList<CallCenter.Contracts.Desk.ListDeadlineCount>> CountsAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<CallCenter.Contracts.Desk.ListDeadlineCount>>([]);
    }

    private sealed class NoMetrics : IMetricsReports
    {
        public Task<MetricsReport> ComputeAsync(DateOnly? date, int? intervalMinutes, int? serviceLevelSeconds, CancellationToken cancellationToken) =>
            throw new NotSupportedException("This test does not ask for metrics.");
    }

    private sealed class NoCalls : ICallControl
    {
        private static readonly Task<CallControlResult> _none = Task.FromResult(new CallControlResult(CallControlError.UnknownCall, "no calls here"));

        public Task<CallControlResult> TransferAsync(string callId, string target) => _none;

        public Task<CallControlResult> ConsultAsync(string callId, string target) => _none;

        public Task<CallControlResult> CompleteConsultAsync(string callId) => _none;

        public Task<CallControlResult> CancelConsultAsync(string callId) => _none;
    }

    private sealed class NoMonitors : IMonitorControl
    {
        private static readonly Task<CallControlResult> _none = Task.FromResult(new CallControlResult(CallControlError.UnknownCall, "no calls here"));

        public Task<CallControlResult> MonitorAsync(string callId, string supervisorExtension, MonitorMode mode) => _none;

        public Task<CallControlResult> StopMonitorAsync(string callId, string supervisorExtension) => _none;
    }
}
