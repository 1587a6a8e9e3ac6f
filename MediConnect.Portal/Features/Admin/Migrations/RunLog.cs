using MediConnect.Portal.Data.Migrations;
using MediConnect.Portal.Features.Shared.Live;

namespace MediConnect.Portal.Features.Admin.Migrations;

/// <summary>
/// What the migrations page's run panel shows: the run this page started, or another admin's
/// (or another tab's) run on any instance, followed live from its progress events. Used on the
/// page's renderer only.
/// </summary>
public sealed class RunLog
{
    readonly List<MigrationStep> _steps = [];

    public IReadOnlyList<MigrationStep> Steps => _steps;
    public MigrationRunResult? Result { get; private set; }
    public bool Running { get; private set; }

    /// <summary>The run shown is not this page's own.</summary>
    public bool ByAnother { get; private set; }

    /// <summary>This page's own run is going on (another run then waits for the lock).</summary>
    public bool RunningHere => Running && !ByAnother;

    public bool Visible => Running || _steps.Count > 0 || Result is not null;

    public void Start(bool byAnother)
    {
        (Running, ByAnother, Result) = (true, byAnother, null);
        _steps.Clear();
    }

    public void Show(MigrationStep step)
    {
        var at = _steps.FindIndex(s => s.File == step.File);
        if (at >= 0) _steps[at] = step; else _steps.Add(step);
    }

    public void Finish(MigrationRunResult? result) => (Running, ByAnother, Result) = (false, false, result);

    public void Clear()
    {
        _steps.Clear();
        Result = null;
    }

    /// <summary>Follows another run's progress; true when a run ended, so the page reloads the migrations' state.</summary>
    public bool Follow(IEnumerable<LiveEvent> progress)
    {
        var ended = false;
        foreach (var e in progress)
        {
            if (e.Op == "run_finished")
            {
                if (ByAnother)
                    Finish(null);
                ended = true;
            }
            else if (e.Op == "run_started" || !Running) // a run starts, or the page opened during one
            {
                Start(byAnother: true);
            }
            if (MigrationConsole.StepOf(e) is { } step)
                Show(step);
        }
        return ended;
    }
}
