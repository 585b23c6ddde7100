-- Issue 11: calls_agent_started (0023) repeated calls_agent (0006) column for column, (agent, started_at_ms):
-- every record written kept two copies of one index. The planner uses calls_agent for the same look-ups.
DROP INDEX IF EXISTS calls_agent_started;
