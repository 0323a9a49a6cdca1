using Tracker.Testing;

namespace Tracker.Events.Postgres.Tests;

/// <summary>The recovery tests' own PostgreSQL server, which they stop and start.</summary>
public sealed class RecoveryCluster : ThrowawayCluster;
