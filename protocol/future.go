package protocol

// futureCommands is empty in a release build. A binary built with
// -tags geetcache_futurecmd adds a command at the next command level
// (future_testtag.go), standing in for a newer release in the rolling
// upgrade test (cmd/geetcache TestRollingUpgradeOldNodeStops).
var futureCommands []*Command
