namespace CallCenter.ResourceControl.Cluster;

/// <summary>The cluster's log lines (event ids 9000–9099). No Redis password is ever written: only its endpoints.</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(9000, LogLevel.Information, "Node {NodeId} connected to the cluster's Redis at {EndPoints}")]
    public static partial void RedisConnected(ILogger logger, string nodeId, string endPoints);

    [LoggerMessage(9001, LogLevel.Error, "Node {NodeId} cannot reach the cluster's Redis at {EndPoints}: /health and OPTIONS answer 503 and new calls are refused until it does (retrying every second)")]
    public static partial void RedisUnreachableAtStart(ILogger logger, string nodeId, string endPoints);

    [LoggerMessage(9002, LogLevel.Error, "Node {NodeId} lost the cluster's Redis at {EndPoint} ({Failure}): /health and OPTIONS answer 503 and new calls are refused; live calls go on")]
    public static partial void RedisLost(ILogger logger, string nodeId, string endPoint, string failure);

    [LoggerMessage(9003, LogLevel.Warning, "Node {NodeId} reached the cluster's Redis at {EndPoint} again: it takes new calls")]
    public static partial void RedisBack(ILogger logger, string nodeId, string endPoint);

    [LoggerMessage(9004, LogLevel.Warning, "Node {NodeId}: the wallboard's shared view could not be written to or read from Redis; this node's wallboard shows its own calls only meanwhile")]
    public static partial void WallboardShareFailed(ILogger logger, Exception exception, string nodeId);

    [LoggerMessage(9005, LogLevel.Error, "Node {NodeId} lost the cluster's PostgreSQL: /health and OPTIONS answer 503 and new calls are refused; live calls go on and their records wait (checking every second)")]
    public static partial void StoreLost(ILogger logger, string nodeId);

    [LoggerMessage(9006, LogLevel.Warning, "Node {NodeId} reached the cluster's PostgreSQL again: it takes new calls")]
    public static partial void StoreBack(ILogger logger, string nodeId);

    [LoggerMessage(9053, LogLevel.Warning, "Data Protection key {KeyId} in the cluster's Redis is not encrypted to Cluster:KeyRingCertificate: it is ignored (a key in clear there was not written by a node; check who can write to Redis)")]
    public static partial void PlainKeyDropped(ILogger logger, string keyId);

    [LoggerMessage(5451, LogLevel.Warning, "Node {NodeId} took the cluster's leader lease: it leads now")]
    public static partial void LeaseTaken(ILogger logger, string nodeId);

    [LoggerMessage(5452, LogLevel.Error, "Node {NodeId} lost the cluster's leader lease (its PostgreSQL session went away): it no longer leads and waits for the lease again")]
    public static partial void LeaseLost(ILogger logger, string nodeId);

    [LoggerMessage(5453, LogLevel.Information, "Node {NodeId} gave up the cluster's leader lease on stopping")]
    public static partial void LeaseReleased(ILogger logger, string nodeId);

    [LoggerMessage(5454, LogLevel.Warning, "Node {NodeId} cannot reach PostgreSQL for the leader lease ({Failure}): it does not lead, retrying every second")]
    public static partial void LeaseUnreachable(ILogger logger, string nodeId, string failure);

    [LoggerMessage(5500, LogLevel.Information, "Node {NodeId} (cluster leader) routed call {CallId} waiting on {CallNode} to agent {Extension}: {Outcome}; {Explanation}")]
    public static partial void Routed(ILogger logger, string nodeId, string callId, string callNode, string extension, string outcome, string explanation);

    [LoggerMessage(5501, LogLevel.Information, "Node {NodeId} holds agent {Extension} for call {CallId}: the agent was made available through another node")]
    public static partial void AgentAdopted(ILogger logger, string nodeId, string extension, string callId);

    [LoggerMessage(5502, LogLevel.Information, "Node {NodeId}: agent {Extension}'s state {Status} was not written to the cluster: another node holds the agent's call, or a newer state is there")]
    public static partial void AgentStateKept(ILogger logger, string nodeId, string extension, string status);

    [LoggerMessage(5503, LogLevel.Warning, "Node {NodeId}: agent {Extension}, claimed for call {CallId}, was never rung here: released for the next call")]
    public static partial void ClaimReleased(ILogger logger, string nodeId, string extension, string callId);

    [LoggerMessage(5504, LogLevel.Error, "Node {NodeId} cannot read or write the cluster's ACD tables ({Failure}): its callers wait and no agent is claimed until it can (retrying every round)")]
    public static partial void AcdStoreFailed(ILogger logger, string nodeId, string failure);

    [LoggerMessage(5505, LogLevel.Warning, "Node {NodeId} reaches the cluster's ACD tables again")]
    public static partial void AcdStoreBack(ILogger logger, string nodeId);

    [LoggerMessage(5455, LogLevel.Information, "Node {NodeId}: agent {Extension}'s phone {Change} through another node (shared registrations)")]
    public static partial void RegistrationSeen(ILogger logger, string nodeId, string extension, string change);

    [LoggerMessage(5530, LogLevel.Error, "Node {NodeId} gave up the cluster's leader lease: {Why}; it does not ask for it again for {Pause} s, so another node routes meanwhile")]
    public static partial void LeaseGivenUp(ILogger logger, string nodeId, string why, int pause);

    [LoggerMessage(5531, LogLevel.Error, "Node {NodeId}: a round of the cluster's ACD took longer than {DeadlineMs} ms (PostgreSQL slow or blocked); the round was cancelled and is tried again")]
    public static partial void RoundStalled(ILogger logger, string nodeId, int deadlineMs);

    [LoggerMessage(5532, LogLevel.Critical, "Cluster:NodeId {NodeId} is in use by another live process (this process is instance {Instance}): two nodes must never share an id. This node stays out of the cluster's ACD and the leader lease, and /health and OPTIONS answer 503 (status duplicate-node-id), until the other process stops or this one is given an id of its own")]
    public static partial void NodeIdClash(ILogger logger, string nodeId, string instance);

    [LoggerMessage(5533, LogLevel.Warning, "Node {NodeId}: the node id is this process's own again (instance {Instance}); it joins the cluster's ACD")]
    public static partial void NodeIdOwn(ILogger logger, string nodeId, string instance);

    [LoggerMessage(5534, LogLevel.Error, "Node {NodeId} (cluster leader until now): its assignment of call {CallId} to agent {Extension} was refused because another node took the lease since (fencing token {Token} is no longer the leader's); it stops routing")]
    public static partial void Deposed(ILogger logger, string nodeId, string callId, string extension, long token);

    [LoggerMessage(5535, LogLevel.Information, "Node {NodeId}: agent {Extension}, claimed for call {CallId}, was released at once: the offer could not start here ({Why})")]
    public static partial void ClaimReleasedAtOnce(ILogger logger, string nodeId, string extension, string callId, string why);

    [LoggerMessage(5536, LogLevel.Warning, "Node {NodeId} (cluster leader): node {DeadNode} (instance {Instance}) has not refreshed its heartbeat for {Seconds} s as this node measures it: it is taken for dead, and the agents it held on a call are made available once their phone is registered")]
    public static partial void NodeSilent(ILogger logger, string nodeId, string deadNode, string instance, int seconds);

    [LoggerMessage(5537, LogLevel.Warning, "Node {NodeId} (cluster leader): agent {Extension} was {Status} (call {CallId}) through node {DeadNode}, dead for {Seconds} s: the call went with that node and the agent's phone is registered, so the agent is free again (available, or the break or sign-off they asked for after the call)")]
    public static partial void AgentFreedFromDeadNode(ILogger logger, string nodeId, string extension, string status, string? callId, string deadNode, int seconds);

    [LoggerMessage(5538, LogLevel.Warning, "Node {NodeId} (cluster leader): a round took longer than {DeadlineMs} ms, but no other node is seen beating: it keeps the lease (nobody else could route) and tries again")]
    public static partial void StalledAlone(ILogger logger, string nodeId, int deadlineMs);

    [LoggerMessage(5539, LogLevel.Information, "Node {NodeId} (cluster leader): node id {Gone} has not been seen for over {Minutes} min: its row is removed (the agents it still held on a call are free)")]
    public static partial void NodeForgotten(ILogger logger, string nodeId, string gone, int minutes);

    [LoggerMessage(5540, LogLevel.Information, "Node {NodeId}: agent {Extension} is on call {CallId} through node {HoldingNode}: the state {AfterCall} asked for here is kept on the agent's shared row for after that call")]
    public static partial void AfterCallRequested(ILogger logger, string nodeId, string extension, string? callId, string holdingNode, string afterCall);

    [LoggerMessage(5541, LogLevel.Information, "Node {NodeId}: agent {Extension}, on call {CallId} here, asked through another node for {AfterCall} after the call: applied as if asked here")]
    public static partial void AfterCallTaken(ILogger logger, string nodeId, string extension, string? callId, string afterCall);

    [LoggerMessage(4136, LogLevel.Error, "Cluster:NodeId {NodeId}: this process (instance {Instance}) took the node id's lock, but instance {Holder}, which holds the id, is still connected (its lock session was dropped while it lives on): two live processes share the id. This process gives the lock back and stays out of the cluster's ACD and the leader lease, touching none of the node's rows, and /health and OPTIONS answer 503 (status duplicate-node-id)")]
    public static partial void NodeIdYielded(ILogger logger, string nodeId, string instance, string holder);

    [LoggerMessage(4137, LogLevel.Warning, "Cluster:NodeId {NodeId}: this process (instance {Instance}) took the node id's lock after another session held it; instance {Holder}, which holds the id, has no session now: this process takes the id over only if that instance stays away for {Seconds} s")]
    public static partial void NodeIdTakeOverPending(ILogger logger, string nodeId, string instance, string holder, int seconds);

    [LoggerMessage(4138, LogLevel.Warning, "Node {NodeId}: this process (instance {Instance}) took the node id over from instance {Former}, which has no session any more (a restart's former life, or a process gone): that instance's waiting callers are dropped and the agents it held on a call freed")]
    public static partial void NodeIdTakenOver(ILogger logger, string nodeId, string instance, string former);

    [LoggerMessage(4139, LogLevel.Error, "Node {NodeId} lost its hold on the node id's lock ({Failure}): it stops acting as the node (writes none of its rows, claims no agent, does not lead) until it holds the lock again")]
    public static partial void NodeIdLockLost(ILogger logger, string nodeId, string failure);

    [LoggerMessage(4140, LogLevel.Error, "Node {NodeId}: the work waiting for the node id to be confirmed (closing the calls a former life left open) failed ({Failure}); it runs again after the next round that holds the id")]
    public static partial void ConfirmedWorkFailed(ILogger logger, string nodeId, string failure);

    [LoggerMessage(4123, LogLevel.Information, "Node {NodeId}: supervisor {PickedBy} picked call {CallId} for agent {Agent} through the cluster's store: {Outcome}")]
    public static partial void Picked(ILogger logger, string nodeId, string pickedBy, string callId, string agent, string outcome);

    [LoggerMessage(4124, LogLevel.Warning, "Node {NodeId}: supervisor {PickedBy}'s pick of call {CallId} for agent {Agent} was most likely not taken: the cluster's store did not answer in time ({Failure})")]
    public static partial void PickFailed(ILogger logger, string nodeId, string pickedBy, string callId, string agent, string failure);
}
