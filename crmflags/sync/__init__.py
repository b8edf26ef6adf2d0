"""A sync: the changes to write, the state store, the run lock, snapshots and notifications."""
