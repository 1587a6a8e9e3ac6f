using MediConnect.Portal.Benchmarks.Http;
using MediConnect.Portal.Benchmarks.Pages;
using MediConnect.Portal.Benchmarks.Report;

namespace MediConnect.Portal.Benchmarks;

/// <summary>The benchmark harness ./bench.sh drives (README, "Benchmarks"); each command is one class.</summary>
static class BenchmarkProgram
{
    static async Task<int> Main(string[] args)
    {
        var options = Options.Parse(args.Skip(1));
        return args.FirstOrDefault() switch
        {
            "pages" => await PagesCommand.RunAsync(options),
            "bare" => await BareEndpoint.RunAsync(options),
            "sign-in" => await SignInCommand.RunAsync(options),
            "circuits" => await CircuitsCommand.RunAsync(options),
            "report" => ReportCommand.Run(options),
            _ => Usage(),
        };
    }

    static int Usage()
    {
        Console.Error.WriteLine("usage: MediConnect.Portal.Benchmarks pages|bare|sign-in|circuits|report [--option value ...] (./bench.sh runs them)");
        return 2;
    }
}
