using MediConnect.Portal.Tests.Fixtures;
using Xunit.Sdk;
using Xunit.v3;

[assembly: TestPipelineStartup(typeof(TestPipeline))]

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// Shuts the run's PostgreSQL down while the test pipeline ends. xunit gives a process that is
/// still alive 10 seconds after the runner returned a forced exit with a failure code, and
/// stopping a busy cluster from a ProcessExit handler could take longer than that on a loaded machine.
/// </summary>
public sealed class TestPipeline : ITestPipelineStartup
{
    public ValueTask StartAsync(IMessageSink diagnosticMessageSink) => ValueTask.CompletedTask;

    public ValueTask StopAsync() => PostgresServer.StopAsync();
}
