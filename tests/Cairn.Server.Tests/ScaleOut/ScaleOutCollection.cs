using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.ScaleOut;

/// <summary>
/// The scale-out tests run one after another: each starts several server processes and waits on timers (leases, an
/// outage), so side by side on two cores they only slow each other down. They share one S3 server.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ScaleOutCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "scale-out";
}
