using Tracker.Testing;

namespace Tracker.Events.Postgres.Tests;

/// <summary>The recovery tests' own PostgreSQL server, on ports from 55600.</summary>
public sealed class RecoveryCluster() : ThrowawayCluster(55600);
