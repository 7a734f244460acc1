package server

import (
	"github.com/geetcache/geetcache/protocol"
)

// serverCommands lists the commands that run on the connection's node
// without going through the log: connection state, introspection, admin.
func (s *Server) serverCommands() []*protocol.Command {
	var all []*protocol.Command
	for _, group := range [][]*protocol.Command{s.connectionCommands(),
		s.clientCommands(), s.commandCommands(), s.infoCommands(), s.configCommands(),
		s.debugCommands(), s.persistenceCommands(), timeCommands(), s.memoryCommands(), s.moduleCommands(),
		s.roleCommands(), s.raftCommands(), readModeCommands(), transactionCommands(), s.watchCommands(),
		s.pubsubCommands(), s.sentinelCommands(), s.clusterCommands(), s.shutdownCommands(), s.failoverCommands(),
		lolwutCommands(), s.slowlogCommands(), s.latencyCommands(), s.monitorCommands(), s.replicationCommands(), s.migrateCommands(), s.waitCommands(),
		s.replicaofCommands()} {
		all = append(all, group...)
	}
	return all
}

// conn returns the connection state of a server command's context.
func conn(c *protocol.Ctx) *client { return c.Conn.(*client) }
