"""The sandbox mailbox: development mail kept in memory."""
