// How the integration fixtures share the machine.
//
// Most fixtures here are [NonParallelizable]: they measure timing, flood the platform, or run several
// platform processes, and must have the machine to themselves. The fixtures marked
// [Parallelizable(ParallelScope.Self)] spend their time waiting on real clocks (prompts played to the end,
// callback and retry timers, mail and SMS round trips) at little CPU, and
// each starts its own platform, peers, ports (FreePorts hands each port out once per process) and
// temporary folders, so up to three of them run side by side. Their tests still run one at a time
// within a fixture. Mark a new fixture parallel only when it is wall-clock bound, shares no fixed
// port, file or database with another fixture, and asserts nothing about CPU-bound timing. The fax
// fixtures stay serial: T.30 over G.711 is real-time modem audio, and a CI run under heavy load lost
// handshakes (no response to DCS, invalid response after a page) when they shared the machine.
[assembly: LevelOfParallelism(3)]
